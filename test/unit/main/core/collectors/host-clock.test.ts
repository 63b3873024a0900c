// A host's clock and zone: read from `date "+%s %z"` and /etc/timezone, against the arrival time.
import { describe, expect, it } from 'vitest';
import { parseRemoteClock, thisMachineClock } from '../../../../../main/core/collectors/host-clock';
import { HostClock } from '../../../../../common/schemas/sample';

describe('parseRemoteClock', () => {
  it('reads the offset east of UTC and how far the host clock is from ours', () => {
    const clock = parseRemoteClock('1733050000 +0530\n', 'Asia/Kolkata\n', 1_733_050_000_000 - 4_000);
    expect(clock).toEqual({ utcOffsetMin: 330, timeZone: 'Asia/Kolkata', offsetMs: 4_500 });
    expect(HostClock.parse(clock)).toEqual(clock);
    expect(parseRemoteClock('1733050000 -0800', '', 1_733_050_000_500)).toEqual({
      utcOffsetMin: -480,
      timeZone: null,
      offsetMs: 0,
    });
  });

  it('refuses what is not a date line, and a zone file that is not a zone name', () => {
    expect(parseRemoteClock('', '', 0)).toBeUndefined();
    expect(parseRemoteClock('date: invalid option', 'UTC', 0)).toBeUndefined();
    expect(parseRemoteClock('1733050000 +9999', 'UTC', 0)).toBeUndefined();
    expect(parseRemoteClock('1733050000 +0000', '$(reboot)', 0)?.timeZone).toBeNull();
    expect(parseRemoteClock('1733050000 +0000', 'Etc/UTC', 0)?.timeZone).toBe('Etc/UTC');
  });
});

describe('thisMachineClock', () => {
  it('says this machine zone, and that its clock is ours', () => {
    const clock = thisMachineClock(Date.UTC(2024, 0, 1));
    expect(clock.offsetMs).toBe(0);
    expect(clock.utcOffsetMin).toBe(0 - new Date(Date.UTC(2024, 0, 1)).getTimezoneOffset() || 0);
    expect(HostClock.parse(clock)).toEqual(clock);
  });

  it('looks the zone up once a minute, not every second', () => {
    const saved = process.env.TZ;
    try {
      const t = 5_000_000_000_000; // far from any earlier call's time
      process.env.TZ = 'Europe/Paris';
      expect(thisMachineClock(t, t).timeZone).toBe('Europe/Paris');
      process.env.TZ = 'Asia/Tokyo';
      expect(thisMachineClock(t, t + 30_000).timeZone).toBe('Europe/Paris');
      expect(thisMachineClock(t, t + 61_000).timeZone).toBe('Asia/Tokyo');
      // The offset is always today's: it is not cached with the name.
      expect(thisMachineClock(Date.UTC(2024, 0, 1), t + 61_000).utcOffsetMin).toBe(540);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
      thisMachineClock(Date.now(), Number.MAX_SAFE_INTEGER); // later tests see this machine's zone
    }
  });
});
