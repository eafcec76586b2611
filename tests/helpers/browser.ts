// Debian's Chromium driven by playwright-core. Without a Chromium, browser
// tests are skipped loudly — unless REQUIRE_BROWSER=1, where that fails.
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROME_PATH = Deno.env.get("CHROME_PATH") ?? "/usr/bin/chromium";
const REQUIRED = Deno.env.get("REQUIRE_BROWSER") === "1";

function chromiumPresent(): boolean {
  try {
    return Deno.statSync(CHROME_PATH).isFile;
  } catch {
    return false;
  }
}

export const browserAvailable = chromiumPresent();
if (!browserAvailable) {
  const message =
    `No Chromium at ${CHROME_PATH}: install it with 'apt-get install -y chromium' or set CHROME_PATH.`;
  if (REQUIRED) throw new Error(`REQUIRE_BROWSER=1 but ${message}`);
  console.warn(`\n!!! BROWSER TESTS SKIPPED !!! ${message}\n`);
}

/** Options for Deno.test that skip the test where no Chromium is installed. */
export const browserTest = {
  ignore: !browserAvailable,
  sanitizeResources: false,
  sanitizeOps: false,
};

/** Every uncaught error of every page a browser opened, by browser: closing it fails on any. */
const pageErrors = new WeakMap<Browser, string[]>();

export async function launchBrowser(): Promise<Browser & AsyncDisposable> {
  const browser = await chromium.launch({
    executablePath: CHROME_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  pageErrors.set(browser, []);
  return Object.assign(browser, {
    async [Symbol.asyncDispose]() {
      await browser.close();
      const errors = pageErrors.get(browser) ?? [];
      if (errors.length) throw new Error(`uncaught page errors:\n${errors.join("\n")}`);
    },
  });
}

/** Records a page's uncaught errors, in the list the test reads and in the browser's. */
function watchErrors(browser: Browser, page: Page, errors: string[]) {
  page.on("pageerror", (error) => {
    errors.push(error.message);
    pageErrors.get(browser)?.push(`${page.url()}: ${error.stack ?? error.message}`);
  });
}

/** A fresh context (its own cookies) with a page, failing the test on any page error. */
export async function newPage(
  browser: Browser,
  options: Parameters<Browser["newContext"]>[0] = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors: string[] = [];
  watchErrors(browser, page, errors);
  context.on("page", (other) => watchErrors(browser, other, []));
  page.on("dialog", (dialog) => {
    errors.push(`unexpected dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir("tests/screenshots", { recursive: true });
  await page.screenshot({ path: `tests/screenshots/${name}.png`, fullPage: true });
}
