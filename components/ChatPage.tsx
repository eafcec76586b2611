import ConversationPane from "../islands/ConversationPane.tsx";
import FriendsPanel from "../islands/FriendsPanel.tsx";
import type { MessageView, Snapshot } from "../lib/wire.ts";

export function ChatPage(props: { snapshot: Snapshot; lobby: MessageView[]; hasMore: boolean }) {
  const { snapshot } = props;
  return (
    <div class="app">
      <header class="topbar">
        <a class="brand" href="/">UgoChat</a>
        <span class="whoami">
          <span class="sr-only">Signed in as</span>
          {snapshot.me.username}
        </span>
        <form method="post" action="/logout">
          <button type="submit">Log out</button>
        </form>
      </header>
      <FriendsPanel snapshot={snapshot} activeId={1} />
      <ConversationPane
        me={{ id: snapshot.me.id, username: snapshot.me.username }}
        activeId={1}
        title="Lobby"
        messages={props.lobby}
        hasMore={props.hasMore}
      />
    </div>
  );
}
