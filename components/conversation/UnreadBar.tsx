// Above the log while unread messages wait: how many, and the two ways out of it.
export function UnreadBar(
  props: { unread: number; onJump: () => void; onMarkRead: () => void },
) {
  const count = props.unread === 1 ? "1 unread message" : `${props.unread} unread messages`;
  return (
    <div class="unread-bar">
      <p>{count}</p>
      <button type="button" onClick={props.onJump}>Jump to first unread</button>
      <button type="button" onClick={props.onMarkRead} aria-keyshortcuts="Escape">
        Mark as read <kbd>Esc</kbd>
      </button>
    </div>
  );
}
