import {
  cpuModesBetween,
  cpuUsageBetween,
  parseLoadavg,
  parseProcStat,
} from '../../../../../../main/core/collectors/linux/cpu';
import { fixture } from '../../../../../helpers/fixtures';

describe('parseProcStat', () => {
  it('reads the total and every core of a captured Debian VM', () => {
    const stat = parseProcStat(fixture('proc/stat-debian-vm-2cpu.txt'));
    expect(stat.cores.map((c) => c.cpu)).toEqual([0, 1]);
    expect(stat.total).toEqual({
      user: 13869,
      nice: 25,
      system: 3091,
      idle: 185302,
      iowait: 479,
      irq: 0,
      softirq: 101,
      steal: 16,
    });
  });

  it('reads 64 cores in CPU order', () => {
    const stat = parseProcStat(fixture('proc/stat-64cpu.txt'));
    expect(stat.cores).toHaveLength(64);
    expect(stat.cores[63]?.cpu).toBe(63);
  });

  it('skips offline CPUs instead of renumbering', () => {
    const stat = parseProcStat(fixture('proc/stat-4cpu-hotplug-after.txt'));
    expect(stat.cores.map((c) => c.cpu)).toEqual([0, 1, 3]);
  });

  it('accepts old kernels that print fewer columns (no steal)', () => {
    const stat = parseProcStat('cpu 10 0 5 100 1 0 0\ncpu0 10 0 5 100 1 0 0\n');
    expect(stat.total.steal).toBe(0);
    expect(stat.total.idle).toBe(100);
  });

  it('refuses text without a cpu line', () => {
    expect(() => parseProcStat('intr 1 2 3\n')).toThrow(/no "cpu" line/);
  });
});

describe('cpuModesBetween', () => {
  const base = { user: 100, nice: 0, system: 50, idle: 800, iowait: 50, irq: 0, softirq: 0, steal: 0 };

  it('splits elapsed time into modes and counts iowait as not in use', () => {
    const modes = cpuModesBetween(base, { ...base, user: 130, system: 60, idle: 850, iowait: 60 });
    // 30 user + 10 system + 50 idle + 10 iowait = 100 jiffies
    expect(modes).toMatchObject({ user: 30, system: 10, idle: 50, iowait: 10, usage: 40 });
  });

  it('returns undefined when a counter went backwards (reboot, hot-plug)', () => {
    expect(cpuModesBetween(base, { ...base, user: 99 })).toBeUndefined();
  });

  it('reports an idle CPU when no time passed', () => {
    expect(cpuModesBetween(base, base)).toMatchObject({ usage: 0, idle: 100 });
  });
});

describe('cpuUsageBetween', () => {
  it('gives per-core use between two real readings, each within 0–100 %', () => {
    const usage = cpuUsageBetween(
      parseProcStat(fixture('proc/stat-debian-vm-2cpu.txt')),
      parseProcStat(fixture('proc/stat-debian-vm-2cpu-later.txt')),
    );
    expect(usage?.cores).toHaveLength(2);
    for (const core of usage!.cores) {
      expect(core.usage).toBeGreaterThanOrEqual(0);
      expect(core.usage).toBeLessThanOrEqual(100);
      const sum =
        core.user + core.nice + core.system + core.idle + core.iowait + core.irq + core.softirq + core.steal;
      expect(sum).toBeCloseTo(100, 5);
    }
  });

  it('computes 64 cores from hand-made counters', () => {
    const usage = cpuUsageBetween(
      parseProcStat(fixture('proc/stat-64cpu.txt')),
      parseProcStat(fixture('proc/stat-64cpu-later.txt')),
    );
    expect(usage?.cores).toHaveLength(64);
    // Every counter grew by 1 %: the split equals the counters' own proportions.
    expect(usage!.cores[0]!.usage).toBeCloseTo(
      ((5000 + 20 + 1500 + 80 + 10) / (5000 + 20 + 1500 + 90000 + 300 + 80 + 10)) * 100,
      0,
    );
  });

  it('reports a reset or vanished core as idle, not as a made-up figure', () => {
    const usage = cpuUsageBetween(
      parseProcStat(fixture('proc/stat-4cpu-hotplug-before.txt')),
      parseProcStat(fixture('proc/stat-4cpu-hotplug-after.txt')),
    );
    expect(usage?.cores).toHaveLength(3);
    expect(usage!.cores[2]).toMatchObject({ usage: 0, idle: 100 });
    expect(usage!.cores[0]!.usage).toBeGreaterThan(0);
  });

  it('is undefined when the machine rebooted between readings', () => {
    const later = parseProcStat(fixture('proc/stat-debian-vm-2cpu-later.txt'));
    const earlier = parseProcStat(fixture('proc/stat-debian-vm-2cpu.txt'));
    expect(cpuUsageBetween(later, earlier)).toBeUndefined();
  });
});

describe('parseLoadavg', () => {
  it('reads the three averages and the task counts', () => {
    expect(parseLoadavg('0.73 0.24 0.09 2/106 5394\n')).toEqual({
      load: [0.73, 0.24, 0.09],
      runnable: 2,
      processes: 106,
    });
  });

  it('refuses garbage with the text in the message', () => {
    expect(() => parseLoadavg('nope')).toThrow(/nope/);
  });
});
