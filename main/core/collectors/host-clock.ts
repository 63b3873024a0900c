// A host's clock and zone: this machine's from the runtime, an SSH host's from `date` and
// /etc/timezone read on the sampler's slow ticks.
import type { HostClock } from '../../../common/schemas/sample';

const IANA_ZONE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;

/** How long this machine's zone name is kept before it is asked again. */
const ZONE_REFRESH_MS = 60_000;
let zone: { name: string | null; readAt: number } | undefined;

/**
 * This machine's clock at `at`. The zone's name is looked up once a minute: a new
 * Intl.DateTimeFormat every second was a sixth of the local sampler's cost.
 */
export function thisMachineClock(at: number = Date.now(), now: number = Date.now()): HostClock {
  if (!zone || now - zone.readAt >= ZONE_REFRESH_MS || now < zone.readAt) {
    let name: string | null = null;
    try {
      name = Intl.DateTimeFormat().resolvedOptions().timeZone || null;
    } catch {
      name = null;
    }
    zone = { name, readAt: now };
  }
  return { utcOffsetMin: 0 - new Date(at).getTimezoneOffset() || 0, timeZone: zone.name, offsetMs: 0 };
}

/**
 * Reads `date "+%s %z"` ("1733050000 +0100") and /etc/timezone ("Europe/Paris") as printed by the
 * sampler, against the time the reading arrived. Undefined when the date line is unreadable.
 */
export function parseRemoteClock(
  dateText: string,
  zoneText: string,
  receivedAt: number,
): HostClock | undefined {
  const match = /^\s*(\d{9,12})\s+([+-])(\d{2})(\d{2})\s*$/.exec(dateText);
  if (!match) return undefined;
  const [, seconds, sign, hours, minutes] = match;
  const utcOffsetMin = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  if (Math.abs(utcOffsetMin) > 24 * 60) return undefined;
  // The host printed whole seconds somewhere in the second before we received them: take the middle.
  const offsetMs = Math.round(Number(seconds) * 1000 + 500 - receivedAt);
  const zone = zoneText.split('\n')[0]?.trim() ?? '';
  return { utcOffsetMin, timeZone: IANA_ZONE.test(zone) ? zone : null, offsetMs };
}
