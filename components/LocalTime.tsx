// Times: <time datetime> from the server in UTC, then the reader's own clock once in the browser.
import { useEffect, useState } from "preact/hooks";

const pad = (n: number) => String(n).padStart(2, "0");

/** 2026-11-24 16:05 — 24-hour time with the date, as the original UgoChat showed it. */
export function formatStamp(at: number, local: boolean): string {
  const d = new Date(at);
  return local
    ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${
      pad(d.getMinutes())
    }`
    : `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${
      pad(d.getUTCHours())
    }:${pad(d.getUTCMinutes())} UTC`;
}

/** False during the server render and hydration, true once mounted in the browser. */
export function useMounted(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

/** 16:05, in the reader's time zone. */
export function clockTime(at: number): string {
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const startOfDay = (at: number) => new Date(at).setHours(0, 0, 0, 0);

/** The name of a message's day for the reader: Today, Yesterday, or its date. */
export function dayLabel(at: number, now: number): string {
  const days = Math.round((startOfDay(now) - startOfDay(at)) / 86_400_000);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  return new Date(at).toLocaleDateString(undefined, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: new Date(at).getFullYear() === new Date(now).getFullYear() ? undefined : "numeric",
  });
}

export const sameDay = (a: number, b: number) => startOfDay(a) === startOfDay(b);

/** The time, and its full date on hover; `clock` shows only 16:05 once in the browser. */
export function LocalTime(props: { at: number; clock?: boolean }) {
  const local = useMounted();
  const full = formatStamp(props.at, local);
  return (
    <time dateTime={new Date(props.at).toISOString()} title={full}>
      {props.clock && local ? clockTime(props.at) : full}
    </time>
  );
}

export function ago(at: number, now: number): string {
  const minutes = Math.round((now - at) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? "yesterday" : `${days} days ago`;
}
