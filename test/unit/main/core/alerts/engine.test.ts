// The engine on samples: which series each rule binds to (scope, label patterns, derived metrics),
// rates, host reachability with `for` on a clock, stale series, and rules or hosts that change.
import { AlertEngine, type AlertTransition, type EngineHost } from '../../../../../main/core/alerts/engine';
import { alertSample } from '../../../../helpers/alert-samples';
import { testRule } from '../../../../helpers/alert-rules';

const web1: EngineHost = { id: 'web-1', name: 'web-1', tags: ['web', 'prod'], remote: true };
const db1: EngineHost = { id: 'db-1', name: 'db-1', tags: ['db'], remote: true };
const local: EngineHost = { id: 'local', name: 'This computer', tags: [], remote: false };

function setup(now = { t: 0 }) {
  const seen: AlertTransition[] = [];
  const engine = new AlertEngine({
    onTransitions: (t) => seen.push(...t),
    now: () => now.t,
    staleMs: 60_000,
  });
  engine.setHosts([local, web1, db1]);
  const run = (...samples: ReturnType<typeof alertSample>[]) => {
    for (const s of samples) engine.evaluateSample(s);
    engine.drain();
  };
  const kinds = () => seen.map((t) => `${t.kind} ${t.instance.key}`);
  return { engine, seen, run, kinds, now };
}

describe('alert engine', () => {
  it('evaluates each rule on the hosts of its scope only', () => {
    const { engine, run, kinds } = setup();
    engine.setRules([
      testRule({ id: 'all', threshold: 50 }),
      testRule({ id: 'tag', threshold: 50, scope: { kind: 'tag', tag: 'web' } }),
      testRule({ id: 'one', threshold: 50, scope: { kind: 'host', host: 'db-1' } }),
    ]);
    run(
      alertSample('web-1', 1000, { cpu: 80 }),
      alertSample('db-1', 1000, { cpu: 80 }),
      alertSample('local', 1000, { cpu: 80 }),
    );
    expect(kinds().sort()).toEqual(
      [
        'firing all|web-1|',
        'firing all|db-1|',
        'firing all|local|',
        'firing tag|web-1|',
        'firing one|db-1|',
      ].sort(),
    );
  });

  it('binds one alert per matching label, following include and exclude patterns', () => {
    const { engine, run, kinds } = setup();
    engine.setRules([
      testRule({ id: 'disk', metric: 'fs.used_percent', threshold: 90, labels: '/, /var/*, !/var/tmp' }),
    ]);
    run(
      alertSample('web-1', 1000, { filesystems: { '/': 95, '/var/lib': 91, '/var/tmp': 99, '/home': 99 } }),
    );
    expect(kinds().sort()).toEqual(['firing disk|web-1|/', 'firing disk|web-1|/var/lib']);
    expect(engine.bindingCount).toBe(2);
  });

  it('watches derived metrics: memory available as a percentage', () => {
    const { engine, run, seen } = setup();
    engine.setRules([
      testRule({
        id: 'mem',
        metric: 'mem.available_percent',
        comparison: '<=',
        threshold: 5,
        clearThreshold: 10,
      }),
    ]);
    run(alertSample('web-1', 1000, { memAvailablePercent: 6 }));
    expect(seen).toEqual([]);
    run(alertSample('web-1', 2000, { memAvailablePercent: 4 }));
    expect(seen.map((t) => [t.kind, Math.round(t.value)])).toEqual([['firing', 4]]);
    run(
      alertSample('web-1', 3000, { memAvailablePercent: 9 }),
      alertSample('web-1', 4000, { memAvailablePercent: 11 }),
    );
    expect(seen.map((t) => t.kind)).toEqual(['firing', 'resolved']);
  });

  it('fires on the rate of a series: swap in use rising', () => {
    const { engine, run, seen } = setup();
    engine.setRules([
      testRule({
        id: 'swap',
        metric: 'swap.used',
        transform: 'rate',
        rateWindowSec: 60,
        comparison: '>',
        threshold: 1024,
        clearThreshold: 0,
        forSec: 30,
      }),
    ]);
    // Flat for a minute, then growing 4 KiB/s.
    for (let t = 0; t <= 60; t += 5) run(alertSample('web-1', t * 1000, { swapUsedBytes: 1 << 20 }));
    expect(seen).toEqual([]);
    let used = 1 << 20;
    for (let t = 65; t <= 200; t += 5) {
      used += 5 * 4096;
      run(alertSample('web-1', t * 1000, { swapUsedBytes: used }));
    }
    expect(seen.map((t) => t.kind)).toEqual(['pending', 'firing']);
    expect(seen[1]!.value).toBeGreaterThan(3000);
  });

  it('raises host unreachable after `for` on the clock, and resolves when the host is back', () => {
    const now = { t: 0 };
    const { engine, kinds } = setup(now);
    engine.setRules([
      testRule({ id: 'down', metric: 'host.unreachable', threshold: 1, forSec: 60, severity: 'critical' }),
    ]);
    engine.setReachability('web-1', true, 0);
    engine.setReachability('local', true, 0);
    expect(kinds()).toEqual(['pending down|web-1|']);
    now.t = 59_999;
    engine.tick();
    expect(kinds()).toHaveLength(1);
    now.t = 60_000;
    engine.tick();
    expect(kinds()).toEqual(['pending down|web-1|', 'firing down|web-1|']);
    engine.setReachability('web-1', false, 70_000);
    expect(kinds().at(-1)).toBe('resolved down|web-1|');
  });

  it('a host that comes back before `for` leaves no alert behind', () => {
    const now = { t: 0 };
    const { engine, kinds } = setup(now);
    engine.setRules([testRule({ id: 'down', metric: 'host.unreachable', threshold: 1, forSec: 60 })]);
    engine.setReachability('db-1', true, 0);
    engine.setReachability('db-1', false, 30_000);
    now.t = 120_000;
    engine.tick();
    expect(kinds()).toEqual(['pending down|db-1|', 'cancelled down|db-1|']);
    expect([...engine.active()]).toEqual([]);
  });

  it('resolves a firing alert whose series stopped (a mount gone) while the host stays up, not while it is unreachable', () => {
    const now = { t: 0 };
    const { engine, run, kinds } = setup(now);
    engine.setRules([testRule({ id: 'disk', metric: 'fs.used_percent', threshold: 90 })]);
    run(alertSample('web-1', 0, { filesystems: { '/': 40, '/mnt/usb': 95 } }));
    run(alertSample('db-1', 0, { filesystems: { '/': 95 } }));
    engine.setReachability('db-1', true, 1000);
    for (let t = 10_000; t <= 70_000; t += 10_000) {
      now.t = t;
      run(alertSample('web-1', t, { filesystems: { '/': 40 } }));
      engine.tick();
    }
    expect(kinds()).toContain('resolved disk|web-1|/mnt/usb');
    expect(kinds()).not.toContain('resolved disk|db-1|/');
    expect(engine.isUnreachable('db-1')).toBe(true);
  });

  it('keeps the state of an edited rule and judges it by the new thresholds; resolves alerts of a deleted rule', () => {
    const { engine, run, kinds } = setup();
    const r = testRule({ id: 'cpu', threshold: 90 });
    engine.setRules([r]);
    run(alertSample('web-1', 0, { cpu: 95 }));
    engine.setRules([{ ...r, threshold: 97, clearThreshold: 96 }]);
    expect(kinds()).toEqual(['firing cpu|web-1|']);
    run(alertSample('web-1', 1000, { cpu: 95.5 }));
    expect(kinds().at(-1)).toBe('resolved cpu|web-1|');
    run(alertSample('web-1', 2000, { cpu: 99 }));
    engine.setRules([]);
    expect(kinds().slice(-2)).toEqual(['firing cpu|web-1|', 'resolved cpu|web-1|']);
    expect([...engine.active()]).toEqual([]);
  });

  it('resolves alerts of a host taken out of the scope (its tag removed) or removed', () => {
    const { engine, run, seen } = setup();
    engine.setRules([testRule({ id: 'web', threshold: 50, scope: { kind: 'tag', tag: 'web' } })]);
    run(alertSample('web-1', 0, { cpu: 80 }));
    engine.setHosts([local, { ...web1, tags: ['prod'] }, db1]);
    expect(seen.map((t) => [t.kind, t.reason])).toEqual([
      ['firing', undefined],
      ['resolved', 'the host was removed or its tags changed'],
    ]);
  });

  it('does not evaluate samples of a host it does not know, and asks for the host list', () => {
    const { engine, run, seen } = setup();
    const unknown: string[] = [];
    engine.onUnknownHost = (id) => unknown.push(id);
    engine.setRules([testRule({ threshold: 1 })]);
    run(alertSample('new-host', 0, { cpu: 99 }));
    expect(seen).toEqual([]);
    expect(unknown).toEqual(['new-host']);
  });

  it('evaluates queued samples after the publisher’s turn, not inside it', async () => {
    const { engine, seen } = setup();
    engine.setRules([testRule({ threshold: 50 })]);
    engine.ingest(alertSample('web-1', 0, { cpu: 99 }));
    expect(seen).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(seen.map((t) => t.kind)).toEqual(['firing']);
  });
});

describe('rule input', () => {
  it('points each problem at its field', async () => {
    const { AlertRuleInput } = await import('../../../../../common/schemas/alerts');
    const issues = (input: Record<string, unknown>) => {
      const r = AlertRuleInput.safeParse({
        name: 'x',
        metric: 'cpu.usage',
        comparison: '>=',
        threshold: 90,
        forSec: 0,
        severity: 'warning',
        ...input,
      });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ name: ' ' })).toEqual(['name: give the rule a name']);
    expect(issues({ name: 'two\nlines' })).toEqual(['name: a name is one line of text']);
    expect(issues({ metric: 'cpu.nope' })).toEqual(['metric: choose a metric Hyperion collects']);
    expect(issues({ threshold: 'ninety' })).toEqual(['threshold: the threshold is a number']);
    expect(issues({ threshold: 120 })).toEqual(['threshold: a percentage is from 0 to 100']);
    expect(issues({ clearThreshold: 95 })).toEqual([
      'clearThreshold: it fires above 90, so it must clear at or below that',
    ]);
    expect(issues({ comparison: '<=', threshold: 5, clearThreshold: 3 })).toEqual([
      'clearThreshold: it fires below 5, so it must clear at or above that',
    ]);
    expect(issues({ labels: '/var' })).toEqual([
      'labels: CPU usage has one value per host: leave the pattern empty',
    ]);
    expect(issues({ metric: 'fs.used_percent', labels: '/var /tmp' })).toEqual([
      'labels: patterns are separated by commas, without spaces inside one, e.g. "/, /var/*, !/boot/*"',
    ]);
    expect(issues({ forSec: -1 })).toEqual(['forSec: the duration cannot be negative']);
    expect(issues({ metric: 'host.unreachable', threshold: 1, transform: 'rate' })).toEqual([
      'transform: a host state has no rate of change',
    ]);
    expect(issues({ scope: { kind: 'host', host: 'Web 1' } })[0]).toMatch(/^scope\.host: /);
    expect(issues({ channels: ['a', 'a'] })).toEqual(['channels: a channel is listed twice']);
  });
});
