// One member of the open room: name, role, presence (friends only: for anyone else nothing,
// not "offline"), and for the owner or an admin a menu: make or remove admin, remove.
import { useState } from "preact/hooks";
import * as api from "../../islands/chat/api.ts";
import { canRemove, ROLE_LABEL } from "../../islands/chat/rooms.ts";
import type { RoomMemberView, RoomRole } from "../../lib/wire.ts";
import { useMenu } from "./useMenu.ts";

type Step = "open" | "remove";

const DOT: Record<string, string> = { online: "online", "presence unknown": "unknown" };

export function MemberItem(
  props: {
    roomId: number;
    member: RoomMemberView;
    myRole: RoomRole | undefined;
    meId: number;
    presence: string | null;
  },
) {
  const { roomId, member, myRole, presence } = props;
  const menu = useMenu<Step>();
  const [failure, setFailure] = useState("");
  const promote = myRole === "owner" && member.role !== "owner";
  const remove = canRemove(myRole, member, props.meId);
  async function run(action: string, call: Promise<api.Result<unknown>>) {
    const done = await call;
    setFailure(done.ok ? "" : `${action} failed: ${done.message}`);
    if (done.ok) menu.setStep("closed");
  }
  const menuId = `member-menu-${member.id}`;
  return (
    <li class="member">
      {presence && <span class={`dot ${DOT[presence] ?? "offline"}`} aria-hidden="true" />}
      <span class="member-name">
        {member.username}
        {member.id === props.meId && <span class="muted">(you)</span>}
      </span>
      <span class="member-about">
        <span class="role">{ROLE_LABEL[member.role]}</span>
        {presence && <span class="presence">, {presence}</span>}
      </span>
      {(promote || remove) && (
        <button
          ref={menu.toggle}
          type="button"
          class="menu-toggle"
          aria-label={`Member actions for ${member.username}`}
          aria-haspopup="true"
          aria-expanded={menu.step !== "closed"}
          aria-controls={menuId}
          onClick={() => menu.setStep(menu.step === "closed" ? "open" : "closed")}
        >
          ⋯
        </button>
      )}
      {menu.step !== "closed" && (
        <div
          id={menuId}
          ref={menu.box}
          class="menu"
          role="group"
          aria-label={`In the room: ${member.username}`}
          onKeyDown={menu.onKeyDown}
        >
          {menu.step === "open"
            ? (
              <>
                {promote && (
                  <button
                    type="button"
                    onClick={() => {
                      const role = member.role === "admin" ? "member" : "admin";
                      const label = role === "admin" ? "Make admin" : "Remove admin";
                      void run(label, api.setRoomRole(roomId, member.id, role));
                    }}
                  >
                    {member.role === "admin" ? "Remove admin" : "Make admin"}
                  </button>
                )}
                {remove && (
                  <button
                    type="button"
                    class="danger"
                    onClick={() => menu.setStep("remove")}
                  >
                    Remove from room…
                  </button>
                )}
              </>
            )
            : (
              <>
                <p>Remove {member.username} from the room?</p>
                <button
                  type="button"
                  class="danger"
                  onClick={() => run("Remove", api.removeFromRoom(roomId, member.id))}
                >
                  Remove
                </button>
                <button type="button" onClick={menu.close}>Cancel</button>
              </>
            )}
        </div>
      )}
      {failure && <p class="field-error" role="alert">{failure}</p>}
    </li>
  );
}
