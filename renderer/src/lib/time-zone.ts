// Times as people read them, in the zone they chose: this computer's, the host's, or UTC. Every
// formatter says which zone it speaks, and a host's own clock (which may run ahead or behind) is
// honoured in host time, so the charts read like the host's own logs.
import type { HostClock } from '../../../common/schemas/sample';

export type ZoneChoice = 'local' | 'host' | 'utc';

export const ZONE_CHOICES: readonly { id: ZoneChoice; label: string }[] = [
  { id: 'local', label: 'Local' },
  { id: 'host', label: 'Host' },
  { id: 'utc', label: 'UTC' },
];

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A resolved zone: how far its wall clock is from UTC at a given instant, and what to call it. */
export interface Zone {
  choice: ZoneChoice;
  /** Minutes east of UTC at `ts` (Hyperion's clock). */
  offsetAt(ts: number): number;
  /** Added to Hyperion's time before showing it: the host's clock offset in host time, 0 otherwise. */
  skewMs: number;
  /** "host time, Europe/Paris" — what the zone is, in words. */
  description: string;
}

const ianaFormatters = new Map<string, Intl.DateTimeFormat | null>();

function ianaFormatter(timeZone: string): Intl.DateTimeFormat | null {
  let f = ianaFormatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      f = null;
    }
    ianaFormatters.set(timeZone, f);
  }
  return f;
}

/** Minutes east of UTC of an IANA zone at an instant; undefined if the runtime does not know it. */
export function ianaOffsetAt(timeZone: string, ts: number): number | undefined {
  const f = ianaFormatter(timeZone);
  if (!f) return undefined;
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(ts)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((wall - Math.floor(ts / 1000) * 1000) / MINUTE);
}

const localZone: Zone = {
  choice: 'local',
  offsetAt: (ts) => 0 - new Date(ts).getTimezoneOffset() || 0,
  skewMs: 0,
  description: 'this computer’s time',
};

const utcZone: Zone = { choice: 'utc', offsetAt: () => 0, skewMs: 0, description: 'UTC' };

/**
 * The zone for a choice. "host" needs the host's clock; without one (the fleet, or a host not
 * sampled yet) it falls back to this computer's time and says so.
 */
export function resolveZone(choice: ZoneChoice, clock: HostClock | undefined): Zone {
  if (choice === 'utc') return utcZone;
  if (choice === 'local' || !clock) return localZone;
  const { timeZone, utcOffsetMin, offsetMs } = clock;
  const known = timeZone !== null && ianaFormatter(timeZone) !== null;
  return {
    choice: 'host',
    offsetAt: known ? (ts) => ianaOffsetAt(timeZone, ts + offsetMs) ?? utcOffsetMin : () => utcOffsetMin,
    // Under a second of difference is measurement noise from whole-second `date` readings.
    skewMs: Math.abs(offsetMs) >= 1000 ? offsetMs : 0,
    description: known ? `host time, ${timeZone}` : 'host time',
  };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The wall clock of `ts` in a zone, as a Date whose UTC fields are that wall clock. */
export function wallClock(zone: Zone, ts: number): Date {
  return new Date(ts + zone.skewMs + zone.offsetAt(ts) * MINUTE);
}

/** "UTC", "UTC+2", "UTC−5:30". */
export function offsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '−';
  const abs = Math.abs(minutes);
  return `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${pad(abs % 60)}` : ''}`;
}

export interface TimeFormat {
  zone: Zone;
  /** "14:03:22" */
  clock(ts: number): string;
  /** "14:03" */
  minutes(ts: number): string;
  /** "2024-12-01 14:03:22" */
  dateTime(ts: number): string;
  /** Axis ticks: "14:03" within a day and a half, "12-01 14:03" beyond. */
  tick(span: number): (ts: number) => string;
  /** "UTC+2" at `ts`. */
  label(ts: number): string;
  /** "14:03:22 UTC+2": a time that says its zone. */
  stamped(ts: number): string;
}

export function timeFormat(zone: Zone): TimeFormat {
  const clock = (ts: number) => {
    const d = wallClock(zone, ts);
    return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  };
  const minutes = (ts: number) => {
    const d = wallClock(zone, ts);
    return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  };
  const day = (d: Date) => `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const label = (ts: number) => offsetLabel(zone.offsetAt(ts));
  return {
    zone,
    clock,
    minutes,
    dateTime: (ts) => {
      const d = wallClock(zone, ts);
      return `${d.getUTCFullYear()}-${day(d)} ${clock(ts)}`;
    },
    tick: (span) => (span > 36 * 3_600_000 ? (ts) => `${day(wallClock(zone, ts))} ${minutes(ts)}` : minutes),
    label,
    stamped: (ts) => `${clock(ts)} ${label(ts)}`,
  };
}

/** The instant (Hyperion's clock) at which the zone's day holding `ts` began. */
export function startOfDay(zone: Zone, ts: number): number {
  const wall = wallClock(zone, ts).getTime();
  const midnightWall = Math.floor(wall / DAY) * DAY;
  // The offset at midnight may differ from the offset now (a DST change that day): settle it.
  let instant = midnightWall - zone.skewMs - zone.offsetAt(ts) * MINUTE;
  instant = midnightWall - zone.skewMs - zone.offsetAt(instant) * MINUTE;
  return instant;
}

/** A wall-clock time typed in a zone ("2024-12-01T14:03") as an instant; NaN when unreadable. */
export function fromWallClock(zone: Zone, text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return Number.NaN;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  let instant = wall - zone.skewMs - zone.offsetAt(wall) * MINUTE;
  instant = wall - zone.skewMs - zone.offsetAt(instant) * MINUTE;
  return instant;
}

/** The value of a datetime-local input for an instant, in a zone. */
export function toWallClockInput(zone: Zone, ts: number): string {
  return wallClock(zone, ts).toISOString().slice(0, 16);
}
