// A tiny HTTP client with one cookie jar: one person's browser, without the browser.
export const PASSWORDS: Record<string, string> = {
  alice: "alice in wonderland 1865",
  bob: "bob builds bridges daily",
  carol: "carol sings christmas carols",
  dave: "dave dives deep down",
};

export type Client = ReturnType<typeof createClient>;

export function createClient(origin: string) {
  const jar = new Map<string, string>();
  function remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
      const expired = attributes.some((a) => /max-age=0/i.test(a.trim())) || value === "";
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
  }
  async function request(method: string, path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (jar.size) headers.set("Cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(`${origin}${path}`, {
      ...init,
      method,
      headers,
      redirect: "manual",
    });
    remember(response);
    return response;
  }
  return {
    jar,
    get cookieHeader() {
      return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    },
    request,
    get: (path: string, headers: HeadersInit = {}) => request("GET", path, { headers }),
    post: (path: string, body?: unknown, headers: HeadersInit = {}) =>
      request("POST", path, {
        headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    postForm: (path: string, fields: Record<string, string>, headers: HeadersInit = {}) =>
      request("POST", path, { headers, body: new URLSearchParams(fields) }),
    /** Registers `name` (password from PASSWORDS) and stays logged in. */
    async register(name: string, password = PASSWORDS[name] ?? `${name} has a long password`) {
      const response = await this.post("/api/register", { username: name, password });
      if (response.status !== 201) {
        throw new Error(`register ${name}: ${response.status} ${await response.text()}`);
      }
      return (await response.json()).user as { id: number; username: string };
    },
    async login(name: string, password = PASSWORDS[name] ?? `${name} has a long password`) {
      const response = await this.post("/api/login", { username: name, password });
      if (response.status !== 200) {
        throw new Error(`login ${name}: ${response.status} ${await response.text()}`);
      }
      return (await response.json()).user as { id: number; username: string };
    },
  };
}
