// How account facts read on screen: times with their zone, roles, sign-in methods, browsers.
import { formatZone } from '../../lib/format';

const pad = (n: number): string => String(n).padStart(2, '0');

/** "2025-03-04 14:05 UTC+1" — a date people can compare at a glance. */
export function formatWhen(ts: number | null | undefined): string {
  if (ts === null || ts === undefined) return '–';
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())} ${formatZone(d)}`;
}

/** "in 5 min", "in 3 h", "in 12 days" (or "ago" for the past). */
export function formatRelative(ts: number, now = Date.now()): string {
  const diff = ts - now;
  const abs = Math.abs(diff);
  const text =
    abs < 90_000
      ? `${Math.max(1, Math.round(abs / 1000))} s`
      : abs < 5_400_000
        ? `${Math.round(abs / 60_000)} min`
        : abs < 172_800_000
          ? `${Math.round(abs / 3_600_000)} h`
          : `${Math.round(abs / 86_400_000)} days`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

export const ROLE_WORDS = {
  viewer: 'Viewer — sees everything except secrets',
  operator: 'Operator — also processes, services, commands and files',
  admin: 'Admin — also hosts, credentials, rules, channels, users and settings',
} as const;

export const METHOD_WORDS: Record<string, string> = {
  password: 'password',
  'password+totp': 'password and 2FA code',
  'password+recovery': 'password and recovery code',
  'access-key': 'access key link',
  setup: 'first-admin setup',
};

/** "Chromium 128 on Linux" out of a user agent, or the agent cut short. */
export function describeAgent(agent: string | null): string {
  if (!agent) return '–';
  const browser = /(Firefox|Edg|Chrome|Chromium|Safari)\/(\d+)/.exec(agent);
  const os = /(Windows|Mac OS X|Linux|Android|iPhone|iPad)/.exec(agent);
  if (!browser) return agent.slice(0, 60);
  const name = browser[1] === 'Edg' ? 'Edge' : browser[1];
  return `${name} ${browser[2]}${os ? ` on ${os[1] === 'Mac OS X' ? 'macOS' : os[1]}` : ''}`;
}

/** A strong temporary password for a new user: 16 characters from a set without look-alikes. */
export function generatePassword(random: (n: number) => number = cryptoRandom): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < 16; i++) out += alphabet[random(alphabet.length)];
  return out;
}

function cryptoRandom(n: number): number {
  const buf = new Uint32Array(1);
  // Rejection sampling keeps every symbol equally likely.
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  do crypto.getRandomValues(buf);
  while (buf[0]! >= limit);
  return buf[0]! % n;
}
