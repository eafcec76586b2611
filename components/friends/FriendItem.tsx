// One friend: presence, a button that opens the direct conversation, and a menu with
// "Remove friend" and "Block", each asking for confirmation first.
import { useEffect, useRef, useState } from "preact/hooks";
import * as api from "../../islands/chat/api.ts";
import type { ChatStore } from "../../islands/chat/store.ts";
import type { FriendView } from "../../lib/wire.ts";
import type { Report } from "./ActionButton.tsx";

type Menu = "closed" | "open" | "remove" | "block";

export function FriendItem(
  props: { store: ChatStore; friend: FriendView; presence: string; known: boolean; report: Report },
) {
  const { friend, report } = props;
  const [menu, setMenu] = useState<Menu>("closed");
  const toggle = useRef<HTMLButtonElement>(null);
  const close = () => {
    setMenu("closed");
    toggle.current?.focus();
  };
  const menuId = `friend-menu-${friend.id}`;
  const menuBox = useRef<HTMLDivElement>(null);
  // Opening the menu, or its confirmation, puts focus on its first button.
  useEffect(() => {
    if (menu !== "closed") menuBox.current?.querySelector<HTMLElement>("button")?.focus();
  }, [menu]);
  /** Arrow keys move between the menu's buttons, round and round. */
  function arrows(e: KeyboardEvent) {
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[e.key];
    if (!step || !menuBox.current) return;
    e.preventDefault();
    const buttons = [...menuBox.current.querySelectorAll<HTMLElement>("button")];
    const at = buttons.indexOf(document.activeElement as HTMLElement);
    buttons[(at + step + buttons.length) % buttons.length]?.focus();
  }
  async function confirm() {
    const remove = menu === "remove";
    const result = remove
      ? await api.removeFriend(friend.username)
      : await api.blockUser(friend.username);
    report(result, `${remove ? "Remove" : "Block"} ${friend.username}`);
    if (result.ok) setMenu("closed");
  }
  return (
    <li class="friend" onKeyDown={(e) => e.key === "Escape" && menu !== "closed" && close()}>
      <span
        class={`dot ${!props.known ? "unknown" : friend.online ? "online" : "offline"}`}
        aria-hidden="true"
      />
      <button
        type="button"
        class="friend-name"
        onClick={async () =>
          report(await props.store.openDirect(friend), `Open ${friend.username}`)}
        aria-describedby={`presence-${friend.id}`}
      >
        {friend.username}
      </button>
      <span id={`presence-${friend.id}`} class="presence">{props.presence}</span>
      <button
        ref={toggle}
        type="button"
        class="menu-toggle"
        aria-label={`More actions for ${friend.username}`}
        aria-haspopup="true"
        aria-expanded={menu !== "closed"}
        aria-controls={menuId}
        onClick={() => setMenu(menu === "closed" ? "open" : "closed")}
      >
        ⋯
      </button>
      {menu !== "closed" && (
        <div
          id={menuId}
          ref={menuBox}
          class="menu"
          role="group"
          aria-label={`Actions for ${friend.username}`}
          onKeyDown={arrows}
        >
          {menu === "open"
            ? (
              <>
                <button
                  type="button"
                  onClick={() => setMenu("remove")}
                >
                  Remove friend
                </button>
                <button
                  type="button"
                  onClick={() => setMenu("block")}
                >
                  Block
                </button>
              </>
            )
            : (
              <>
                <p>
                  {menu === "remove"
                    ? `Remove ${friend.username} from your friends?`
                    : `Block ${friend.username}? They will not be able to message you.`}
                </p>
                <button type="button" class="danger" onClick={confirm}>
                  {menu === "remove" ? "Remove" : "Block"}
                </button>
                <button type="button" onClick={close}>Cancel</button>
              </>
            )}
        </div>
      )}
    </li>
  );
}
