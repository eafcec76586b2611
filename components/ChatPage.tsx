import ConversationPane from "../islands/ConversationPane.tsx";
import FriendsPanel from "../islands/FriendsPanel.tsx";
import RoomDialogs from "../islands/RoomDialogs.tsx";
import { LOBBY_ID, type MessageView, type Snapshot } from "../lib/wire.ts";

export function ChatPage(
  props: { snapshot: Snapshot; lobby: MessageView[]; hasMore: boolean; heartbeatMs: number },
) {
  const { snapshot } = props;
  return (
    <div class="app">
      <header class="topbar">
        <a class="brand" href="/">UgoChat</a>
        {/* who is signed in shows once, in the panel; on a phone this bar gives way to one */}
        <form method="post" action="/logout">
          <button type="submit">Log out</button>
        </form>
      </header>
      <FriendsPanel snapshot={snapshot} activeId={LOBBY_ID} heartbeatMs={props.heartbeatMs} />
      <ConversationPane
        me={{ id: snapshot.me.id, username: snapshot.me.username }}
        activeId={LOBBY_ID}
        title="Lobby"
        messages={props.lobby}
        hasMore={props.hasMore}
      />
      <RoomDialogs />
    </div>
  );
}
