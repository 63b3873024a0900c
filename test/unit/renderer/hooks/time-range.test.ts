// The app-wide range: presets ending now, today and yesterday in the zone shown, and how zooming
// and panning pause live (in memory near now, from the store further back).
import { describe, expect, it } from 'vitest';
import {
  describeRange,
  followsNow,
  LIVE_SPAN_MS,
  pannedRange,
  pausedRange,
  PRESET_LIST,
  windowOf,
  zoomedOutRange,
  zoomedRange,
} from '../../../../renderer/src/hooks/useTimeRange';
import { nearestTime } from '../../../../renderer/src/hooks/useTimeChart';
import { resolveZone, timeFormat } from '../../../../renderer/src/lib/time-zone';

const NOW = Date.UTC(2024, 6, 1, 12, 0, 0);
const UTC = resolveZone('utc', undefined);
const MIN = 60_000;

describe('presets', () => {
  it('has 5m 15m 1h 6h 24h 7d 30d, today and yesterday, each with a title', () => {
    expect(PRESET_LIST.map((p) => p.id)).toEqual([
      '5m',
      '15m',
      '1h',
      '6h',
      '24h',
      '7d',
      '30d',
      'today',
      'yesterday',
    ]);
  });

  it('ends presets now, and takes days from midnight in the zone', () => {
    expect(windowOf({ kind: 'preset', preset: '5m' }, NOW, UTC)).toEqual({ from: NOW - 5 * MIN, to: NOW });
    expect(windowOf({ kind: 'preset', preset: 'today' }, NOW, UTC)).toEqual({
      from: Date.UTC(2024, 6, 1),
      to: NOW,
    });
    expect(windowOf({ kind: 'preset', preset: 'yesterday' }, NOW, UTC)).toEqual({
      from: Date.UTC(2024, 5, 30),
      to: Date.UTC(2024, 6, 1),
    });
    const kolkata = resolveZone('host', { utcOffsetMin: 330, timeZone: 'Asia/Kolkata', offsetMs: 0 });
    expect(windowOf({ kind: 'preset', preset: 'today' }, NOW, kolkata).from).toBe(
      Date.UTC(2024, 5, 30, 18, 30),
    );
    expect(windowOf({ kind: 'live' }, NOW)).toEqual({ from: NOW - LIVE_SPAN_MS, to: NOW });
  });

  it('refreshes ranges that end now, not yesterday or an exact span', () => {
    expect(followsNow({ kind: 'live' })).toBe(true);
    expect(followsNow({ kind: 'preset', preset: 'today' })).toBe(true);
    expect(followsNow({ kind: 'preset', preset: 'yesterday' })).toBe(false);
    expect(followsNow({ kind: 'paused', from: 1, to: 2 })).toBe(false);
  });
});

describe('zoom and pan', () => {
  it('pauses live on a span dragged across a live chart, and zooms history into one', () => {
    expect(zoomedRange({ kind: 'live' }, NOW - 2 * MIN, NOW - MIN, NOW)).toEqual({
      kind: 'paused',
      from: NOW - 2 * MIN,
      to: NOW - MIN,
    });
    expect(zoomedRange({ kind: 'preset', preset: '24h' }, NOW - 2 * MIN, NOW - MIN, NOW).kind).toBe(
      'absolute',
    );
    // A paused span panned beyond what memory holds becomes a range read from the store.
    expect(zoomedRange({ kind: 'paused', from: 0, to: 1 }, NOW - 60 * MIN, NOW - 55 * MIN, NOW).kind).toBe(
      'absolute',
    );
  });

  it('pans by half the span, never past now, and zooms out around the middle', () => {
    const live = { kind: 'live' } as const;
    // Back from live reaches past the five minutes held in memory: the store answers.
    expect(pannedRange(live, -1, NOW)).toEqual({
      kind: 'absolute',
      from: NOW - 7.5 * MIN,
      to: NOW - 2.5 * MIN,
    });
    // Within memory it stays paused, and forward stops at now.
    expect(pannedRange({ kind: 'paused', from: NOW - 4 * MIN, to: NOW - MIN }, 1, NOW)).toEqual({
      kind: 'paused',
      from: NOW - 3 * MIN,
      to: NOW,
    });
    expect(pannedRange({ kind: 'preset', preset: '1h' }, -1, NOW)).toEqual({
      kind: 'absolute',
      from: NOW - 90 * MIN,
      to: NOW - 30 * MIN,
    });
    expect(zoomedOutRange({ kind: 'absolute', from: NOW - 60 * MIN, to: NOW - 40 * MIN }, NOW)).toEqual({
      kind: 'absolute',
      from: NOW - 70 * MIN,
      to: NOW - 30 * MIN,
    });
    expect(zoomedOutRange(live, NOW)).toEqual({ kind: 'absolute', from: NOW - 10 * MIN, to: NOW });
    expect(pausedRange(NOW)).toEqual({ kind: 'paused', from: NOW - 5 * MIN, to: NOW });
  });

  it('says what is shown, with the zone', () => {
    const f = timeFormat(UTC);
    expect(describeRange({ kind: 'live' }, f, NOW)).toBe('live, the last 5 minutes');
    expect(describeRange({ kind: 'preset', preset: '24h' }, f, NOW)).toBe('the last 24 hours');
    expect(describeRange({ kind: 'paused', from: NOW - MIN, to: NOW }, f, NOW)).toBe(
      'paused on 2024-07-01 11:59:00 – 12:00:00 UTC',
    );
  });
});

describe('nearestTime (the shared crosshair)', () => {
  const ticks = [1000, 2000, 3000, 4000].map((value, index) => ({ value, index }));
  it('finds the tick nearest in time to the one pointed at in another chart', () => {
    expect(nearestTime(ticks, { activeLabel: '2990' })).toBe(2);
    expect(nearestTime(ticks, { activeLabel: 2400 })).toBe(1);
    expect(nearestTime(ticks, { activeLabel: 900 })).toBe(0);
  });
  it('shows nothing when this chart has no data near that time', () => {
    expect(nearestTime(ticks, { activeLabel: 9000 })).toBe(-1);
    expect(nearestTime([], { activeLabel: 1 })).toBe(-1);
    expect(nearestTime(ticks, { activeLabel: undefined })).toBe(-1);
  });
});
