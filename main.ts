import { runFromEnvironment } from "./lib/server.ts";

await runFromEnvironment();
