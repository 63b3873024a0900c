// Times in the zone the user chose: this computer, the host (its zone and its clock), or UTC.
import { describe, expect, it } from 'vitest';
import {
  fromWallClock,
  ianaOffsetAt,
  offsetLabel,
  resolveZone,
  startOfDay,
  timeFormat,
  toWallClockInput,
} from '../../../../renderer/src/lib/time-zone';

const T = Date.UTC(2024, 6, 1, 12, 34, 56); // 2024-07-01 12:34:56 UTC, summer in Europe

describe('offsetLabel', () => {
  it('says UTC and signed offsets with minutes when there are any', () => {
    expect(offsetLabel(0)).toBe('UTC');
    expect(offsetLabel(120)).toBe('UTC+2');
    expect(offsetLabel(-330)).toBe('UTC−5:30');
    expect(offsetLabel(345)).toBe('UTC+5:45');
  });
});

describe('resolveZone and timeFormat', () => {
  it('formats UTC as UTC, whatever the machine', () => {
    const f = timeFormat(resolveZone('utc', undefined));
    expect(f.clock(T)).toBe('12:34:56');
    expect(f.dateTime(T)).toBe('2024-07-01 12:34:56');
    expect(f.stamped(T)).toBe('12:34:56 UTC');
    expect(f.tick(3_600_000)(T)).toBe('12:34');
    expect(f.tick(7 * 86_400_000)(T)).toBe('07-01 12:34');
  });

  it('shows host time in the host zone (daylight saving included) and on the host clock', () => {
    const host = resolveZone('host', { utcOffsetMin: 60, timeZone: 'Europe/Paris', offsetMs: 5_000 });
    const f = timeFormat(host);
    // Paris is UTC+2 in July; the host clock runs 5 s ahead of Hyperion's.
    expect(f.label(T)).toBe('UTC+2');
    expect(f.clock(T)).toBe('14:35:01');
    expect(host.description).toBe('host time, Europe/Paris');
    // In January it is UTC+1.
    expect(f.label(Date.UTC(2024, 0, 15))).toBe('UTC+1');
  });

  it('falls back to the fixed offset when the zone has no name, and ignores sub-second skew', () => {
    const f = timeFormat(resolveZone('host', { utcOffsetMin: -300, timeZone: null, offsetMs: 400 }));
    expect(f.clock(T)).toBe('07:34:56');
    expect(f.label(T)).toBe('UTC−5');
    expect(f.zone.description).toBe('host time');
  });

  it('uses this computer’s zone for "host" when no host clock is known (the fleet)', () => {
    const zone = resolveZone('host', undefined);
    expect(zone.choice).toBe('local');
    expect(zone.offsetAt(T)).toBe(0 - new Date(T).getTimezoneOffset() || 0);
  });

  it('knows IANA offsets and refuses unknown zones', () => {
    expect(ianaOffsetAt('Asia/Kolkata', T)).toBe(330);
    expect(ianaOffsetAt('America/New_York', T)).toBe(-240);
    expect(ianaOffsetAt('Not/AZone', T)).toBeUndefined();
  });
});

describe('days and typed times in a zone', () => {
  it('starts "today" at midnight in the zone shown', () => {
    expect(startOfDay(resolveZone('utc', undefined), T)).toBe(Date.UTC(2024, 6, 1));
    const paris = resolveZone('host', { utcOffsetMin: 120, timeZone: 'Europe/Paris', offsetMs: 0 });
    // 2024-07-01 00:30 in Paris is 2024-06-30 22:30 UTC: still the 1st in Paris.
    expect(startOfDay(paris, Date.UTC(2024, 5, 30, 22, 30))).toBe(Date.UTC(2024, 5, 30, 22, 0));
    // The day daylight saving starts (31 March 2024) began at 00:00 UTC+1.
    expect(startOfDay(paris, Date.UTC(2024, 2, 31, 12))).toBe(Date.UTC(2024, 2, 30, 23, 0));
  });

  it('reads a typed date and time in the zone shown, and writes one back', () => {
    const utc = resolveZone('utc', undefined);
    expect(fromWallClock(utc, '2024-07-01T12:34')).toBe(Date.UTC(2024, 6, 1, 12, 34));
    const kolkata = resolveZone('host', { utcOffsetMin: 330, timeZone: 'Asia/Kolkata', offsetMs: 0 });
    expect(fromWallClock(kolkata, '2024-07-01T18:04')).toBe(Date.UTC(2024, 6, 1, 12, 34));
    expect(toWallClockInput(kolkata, Date.UTC(2024, 6, 1, 12, 34))).toBe('2024-07-01T18:04');
    expect(fromWallClock(utc, 'yesterday')).toBeNaN();
  });
});
