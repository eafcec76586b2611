// One line per event on stdout: time, level, event, then key=value fields.
// Callers never pass passwords, tokens or message bodies.

export type Level = "debug" | "info" | "warn" | "error";
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Fields = Record<string, string | number | boolean | null | undefined>;
export type Logger = ReturnType<typeof createLogger>;

function formatValue(value: string | number | boolean | null): string {
  const text = String(value);
  return /^[\w.:/@+-]+$/.test(text) ? text : JSON.stringify(text);
}

export function createLogger(level: Level, write: (line: string) => void = console.log) {
  function emit(at: Level, event: string, fields: Fields = {}, error?: unknown) {
    if (RANK[at] < RANK[level]) return;
    const parts = [new Date().toISOString(), at.toUpperCase().padEnd(5), event];
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) parts.push(`${key}=${formatValue(value)}`);
    }
    write(parts.join(" "));
    if (error instanceof Error && error.stack) write(error.stack);
  }
  return {
    debug: (event: string, fields?: Fields) => emit("debug", event, fields),
    info: (event: string, fields?: Fields) => emit("info", event, fields),
    warn: (event: string, fields?: Fields) => emit("warn", event, fields),
    error: (event: string, fields?: Fields, error?: unknown) => emit("error", event, fields, error),
  };
}
