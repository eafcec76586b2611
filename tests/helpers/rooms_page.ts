// Rooms on the chat page, as a person would use them, for browser tests.
import type { Page } from "playwright-core";
import type { RoomView } from "../../lib/wire.ts";
import { type Client, createClient } from "./client.ts";

export const roomsList = (page: Page) => page.getByRole("list", { name: "Your rooms" });
export const roomLink = (page: Page, name: string) =>
  roomsList(page).getByRole("button", { name: new RegExp(`^# ${name}\\b`) });
export const header = (page: Page) => page.locator(".conversation-header h1");

/** The same person as a browser, over HTTP: to set a scene without clicking through it. */
export async function apiAs(origin: string, name: string): Promise<Client> {
  const client = createClient(origin);
  await client.login(name);
  return client;
}

export async function createRoomApi(
  who: Client,
  name: string,
  visibility: "private" | "public" = "private",
  topic = "",
): Promise<RoomView> {
  const response = await who.post("/api/rooms", { name, topic, visibility });
  if (response.status !== 201) throw new Error(`create ${name}: ${await response.text()}`);
  return (await response.json()).room;
}

export async function inviteApi(who: Client, roomId: number, username: string) {
  const response = await who.post(`/api/rooms/${roomId}/members`, { username });
  if (response.status !== 201) throw new Error(`invite ${username}: ${await response.text()}`);
  await response.body?.cancel();
}

/** Makes a room through the "New room" dialog. */
export async function createRoomInPage(
  page: Page,
  name: string,
  options: { topic?: string; visibility?: "Private" | "Public" } = {},
) {
  await page.getByRole("button", { name: "New room" }).click();
  const dialog = page.getByRole("dialog", { name: "New room" });
  await dialog.getByLabel("Name").fill(name);
  if (options.topic) await dialog.getByLabel("Topic (optional)").fill(options.topic);
  await dialog.getByRole("radio", { name: new RegExp(options.visibility ?? "Private") }).check();
  await dialog.getByRole("button", { name: "Create room" }).click();
  await dialog.waitFor({ state: "detached" });
  await header(page).filter({ hasText: `# ${name}` }).waitFor();
}

/** Chooses an entry of the open room's "⋯" menu. */
export async function roomAction(page: Page, action: string) {
  await page.getByRole("button", { name: "Room actions" }).click();
  await page.getByRole("group", { name: /^Actions for / }).getByRole("button", { name: action })
    .click();
}
