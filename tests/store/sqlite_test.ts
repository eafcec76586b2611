// The store contract on the embedded backend: a fresh SQLite file in a temp dir per test.
import { openSqliteStore } from "../../lib/store/sqlite/mod.ts";
import { storeContract } from "./contract.ts";

storeContract("sqlite", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ugochat-store-" });
  const store = openSqliteStore(`${dir}/contract.db`);
  return {
    store,
    async [Symbol.asyncDispose]() {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
});
