// The open room's "⋯" menu: rename, topic and invite for those allowed, leave for everyone,
// delete for the owner; leaving and deleting ask first.
import { useState } from "preact/hooks";
import * as api from "../../islands/chat/api.ts";
import { canManage } from "../../islands/chat/rooms.ts";
import type { ChatStore } from "../../islands/chat/store.ts";
import type { RoomSummary } from "../../lib/wire.ts";
import { useMenu } from "./useMenu.ts";

type Step = "open" | "leave" | "delete";

export function RoomMenu(props: { store: ChatStore; roomId: number; room: RoomSummary }) {
  const { store, roomId, room } = props;
  const menu = useMenu<Step>();
  const [failure, setFailure] = useState("");
  const manage = canManage(room.role);
  const invite = manage || room.visibility === "public";
  const dialog = (name: "rename_room" | "room_topic" | "invite") => () => {
    menu.setStep("closed");
    store.dialog.value = name;
  };
  async function confirm() {
    const done = menu.step === "delete"
      ? await api.deleteRoom(roomId)
      : await api.leaveRoom(roomId);
    setFailure(
      done.ok ? "" : `${menu.step === "delete" ? "Delete" : "Leave"} failed: ${done.message}`,
    );
    if (done.ok) menu.setStep("closed"); // room_left then takes the room away, on every tab
  }
  return (
    <div class="room-menu">
      <button
        ref={menu.toggle}
        type="button"
        class="menu-toggle"
        aria-label="Room actions"
        aria-haspopup="true"
        aria-expanded={menu.step !== "closed"}
        aria-controls="room-menu"
        onClick={() => menu.setStep(menu.step === "closed" ? "open" : "closed")}
      >
        ⋯
      </button>
      {menu.step !== "closed" && (
        <div
          id="room-menu"
          ref={menu.box}
          class="menu"
          role="group"
          aria-label={`Actions for ${room.name}`}
          onKeyDown={menu.onKeyDown}
        >
          {menu.step === "open"
            ? (
              <>
                {manage && <button type="button" onClick={dialog("rename_room")}>Rename…</button>}
                {manage && (
                  <button type="button" onClick={dialog("room_topic")}>Change topic…</button>
                )}
                {invite && (
                  <button type="button" onClick={dialog("invite")}>Invite a friend…</button>
                )}
                <button type="button" onClick={() => menu.setStep("leave")}>Leave room…</button>
                {room.role === "owner" && (
                  <button
                    type="button"
                    class="danger"
                    onClick={() => menu.setStep("delete")}
                  >
                    Delete room…
                  </button>
                )}
              </>
            )
            : (
              <>
                <p>
                  {menu.step === "leave"
                    ? `Leave ${room.name}? You will stop receiving its messages.`
                    : `Delete ${room.name} for everyone? Its messages go with it.`}
                </p>
                <button type="button" class="danger" onClick={confirm}>
                  {menu.step === "leave" ? "Leave" : "Delete"}
                </button>
                <button type="button" onClick={menu.close}>Cancel</button>
              </>
            )}
        </div>
      )}
      <p class="field-error" role="alert">{failure}</p>
    </div>
  );
}
