// Friends, requests, "Add friend" and blocked users. A failed action on any of them shows
// in one alert here: it outlives the row it came from, which the socket may remove first
// (accepting a request that was cancelled meanwhile).
import { useState } from "preact/hooks";
import type { ChatStore } from "../../islands/chat/store.ts";
import type { Snapshot } from "../../lib/wire.ts";
import type { Report } from "./ActionButton.tsx";
import { AddFriendForm } from "./AddFriendForm.tsx";
import { BlockedList } from "./BlockedList.tsx";
import { FriendList } from "./FriendList.tsx";
import { Requests } from "./Requests.tsx";

export function FriendsSection(props: { store: ChatStore; snapshot: Snapshot }) {
  const { friends, incoming, outgoing, blocked } = props.snapshot;
  const [failure, setFailure] = useState("");
  const report: Report = (result, action) =>
    setFailure(result.ok ? "" : `${action} failed: ${result.message}`);
  return (
    <section class="panel-section" aria-labelledby="friends-heading">
      <h2 id="friends-heading">Friends</h2>
      <FriendList store={props.store} friends={friends} report={report} />
      <p class="field-error" role="alert" id="friends-alert">{failure}</p>
      <Requests incoming={incoming} outgoing={outgoing} report={report} />
      <AddFriendForm snapshot={props.snapshot} />
      <BlockedList blocked={blocked} report={report} />
    </section>
  );
}
