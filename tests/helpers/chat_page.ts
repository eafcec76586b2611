// Driving the chat page as a person would, for browser tests.
import type { Browser, Page } from "playwright-core";
import { PASSWORDS } from "./client.ts";
import { newPage } from "./browser.ts";

export async function registerInBrowser(
  browser: Browser,
  origin: string,
  name: string,
  viewport = { width: 1100, height: 720 },
) {
  const { context, page, errors } = await newPage(browser, { viewport });
  await page.goto(`${origin}/register`);
  await page.getByLabel("Username").fill(name);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORDS[name]);
  await page.getByLabel("Confirm password").fill(PASSWORDS[name]);
  await page.getByRole("button", { name: "Create account" }).click();
  await waitLive(page);
  return { context, page, errors };
}

/** Waits until both islands are mounted and the socket has caught up. */
export async function waitLive(page: Page, timeout = 15_000) {
  await page.locator("#sidebar[data-ready]").waitFor({ timeout });
  await page.locator("main.conversation[data-connection=live]").waitFor({ timeout });
}

export async function say(page: Page, text: string) {
  const box = page.getByLabel("Message", { exact: true });
  await box.fill(text);
  await box.press("Enter");
}

export const log = (page: Page) => page.getByRole("log");
export const friendItem = (page: Page, name: string) =>
  page.getByRole("list", { name: "Friends" }).getByRole("listitem").filter({
    has: page.getByRole("button", { name, exact: true }),
  });

/** Sends a friend request by typing a name into "Add friend" and pressing Enter. */
export async function addFriend(page: Page, name: string) {
  const box = page.getByLabel("Add friend");
  await box.fill(name);
  await box.press("Enter");
}

/** `from` asks `to` through the page, `to` accepts, and `from` sees them online. */
export async function befriendInBrowser(
  from: { page: Page },
  fromName: string,
  to: { page: Page },
  toName: string,
) {
  await addFriend(from.page, toName);
  await to.page.getByRole("button", { name: `Accept ${fromName}` }).click();
  await friendItem(from.page, toName).getByText("online").waitFor();
}
