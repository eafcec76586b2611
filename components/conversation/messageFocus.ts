// Moving through the log's messages from the keyboard. The log is one Tab stop, not one per
// message; from it ↑/↓ reach the messages in view, then step from one to the next, and
// Home/End go to the first and last loaded. A focused message shows its full date.

/** Handles a keydown in the log; true when it moved the focus. */
export function moveBetweenMessages(log: HTMLElement, e: KeyboardEvent): boolean {
  if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return false; // Alt+↑/↓ switch conversations
  const items = [...log.querySelectorAll<HTMLElement>(".message")];
  const current = (e.target as HTMLElement).closest<HTMLElement>(".message");
  const at = current ? items.indexOf(current) : -1;
  if (at < 0 && e.target !== log) return false; // a button of the log's own, such as "Load older"
  const next = at < 0 ? fromLog(log, items, e.key) : fromMessage(items, at, e.key);
  // At either end the key keeps its usual effect: ↑ on the first scrolls up to older messages.
  if (!next) return false;
  e.preventDefault();
  next.focus();
  return true;
}

function fromLog(log: HTMLElement, items: HTMLElement[], key: string) {
  const shown = items.filter((item) => inView(log, item));
  if (key === "ArrowUp") return shown.at(-1);
  if (key === "ArrowDown") return shown[0];
  return undefined; // Home and End scroll the log, as they would without us
}

function fromMessage(items: HTMLElement[], at: number, key: string) {
  switch (key) {
    case "ArrowUp":
      return items[at - 1];
    case "ArrowDown":
      return items[at + 1];
    case "Home":
      return items[0];
    case "End":
      return items.at(-1);
  }
}

function inView(log: HTMLElement, item: HTMLElement): boolean {
  const box = log.getBoundingClientRect();
  const it = item.getBoundingClientRect();
  return it.bottom > box.top && it.top < box.bottom;
}
