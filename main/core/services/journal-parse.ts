// Pure parsing of `journalctl -o json` lines into entries the UI shows.
import type { JournalEntry } from '../../../common/schemas/services';

/** A cursor journald printed: "s=…;i=…;b=…;m=…;t=…;x=…" (checked before it goes back as an argument). */
export const CURSOR_PATTERN = /^[a-z]=[0-9a-f]+(;[a-z]=[0-9a-f]+)*$/;

/** MESSAGE is a string, an array of bytes (not valid UTF-8), or null (too large). */
function messageText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((b) => typeof b === 'number')) {
    return Buffer.from(value as number[]).toString('utf8');
  }
  return value === null ? '[message too large to show]' : '';
}

function int(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : null;
}

export function parseJournalLine(line: string): JournalEntry | undefined {
  if (!line.startsWith('{')) return undefined;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const cursor = record.__CURSOR;
  const usec = Number(record.__REALTIME_TIMESTAMP);
  if (typeof cursor !== 'string' || !Number.isFinite(usec)) return undefined;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return {
    cursor,
    ts: Math.floor(usec / 1000),
    priority: int(record.PRIORITY),
    // systemd's own messages about a unit ("Started …") name it in UNIT; a service's output in _SYSTEMD_UNIT.
    unit: str(record.UNIT) ?? str(record._SYSTEMD_UNIT),
    identifier: str(record.SYSLOG_IDENTIFIER) ?? str(record._COMM),
    pid: int(record._PID),
    message: messageText(record.MESSAGE),
  };
}

/** Splits a growing stream of JSON lines; keeps the unfinished last line for the next chunk. */
export class JournalLineSplitter {
  private rest = '';

  push(text: string): JournalEntry[] {
    const lines = (this.rest + text).split('\n');
    this.rest = lines.pop() ?? '';
    return lines.flatMap((l) => parseJournalLine(l) ?? []);
  }
}

/** Case-insensitive substring match on the message (used where journalctl has no --grep). */
export function matchesSearch(entry: JournalEntry, search: string | undefined): boolean {
  return !search || entry.message.toLowerCase().includes(search.toLowerCase());
}
