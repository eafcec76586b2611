// A button for one API call. The socket then brings the new state to every tab; the
// button only reports how the call went, so that a failure is shown, not swallowed.
import { useState } from "preact/hooks";
import type { Result } from "../../islands/chat/api.ts";

export type Report = (result: Result<unknown>, action: string) => void;

export function ActionButton(
  props: { label: string; title: string; run: () => Promise<Result<unknown>>; report: Report },
) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      aria-label={props.title}
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        props.report(await props.run(), props.title);
        setBusy(false);
      }}
    >
      {props.label}
    </button>
  );
}
