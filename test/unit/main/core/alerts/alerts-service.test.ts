// The alerting service on a real SQLite file: incidents and their timelines, flapping folded into
// one incident, acknowledgements, silences, notifications through the outbox, restarts.
import type { AlertsChanged } from '../../../../../common/schemas/alerts';
import { alertSample } from '../../../../helpers/alert-samples';
import { createAlertsHarness, type AlertsHarness } from '../../../../helpers/alerts-harness';

let h: AlertsHarness;
beforeEach(async () => {
  h = await createAlertsHarness();
  // The built-in rules have their own tests; here they would only add alerts of their own.
  for (const r of h.service.listRules()) {
    const { id, builtin: _b, createdAt: _c, updatedAt: _u, ...body } = r;
    h.service.updateRule(id, { ...body, enabled: false });
  }
  // One fast channel that groups nothing, and one rule on CPU ≥ 90 (clear 80) that notifies it.
  await h.channels.create(
    {
      kind: 'webhook',
      name: 'Hook',
      enabled: true,
      minSeverity: 'info',
      groupWindowSec: 0,
      maxPerHour: 1000,
      webhookUrl: 'http://127.0.0.1:9/x',
    },
    'hook',
  );
  h.service.createRule({
    name: 'CPU hot',
    enabled: true,
    metric: 'cpu.usage',
    transform: 'value',
    rateWindowSec: 600,
    scope: { kind: 'all' },
    labels: '',
    comparison: '>=',
    threshold: 90,
    clearThreshold: 80,
    forSec: 0,
    clearForSec: 0,
    severity: 'critical',
    channels: ['hook'],
    description: 'CPU on {host} is {value} (limit {threshold})',
  });
});
afterEach(() => h.dispose());

const cpuRuleId = () => h.service.listRules().find((r) => r.name === 'CPU hot')!.id;

async function feed(host: string, cpu: number, advanceMs = 1000): Promise<void> {
  h.clock.t += advanceMs;
  h.service.ingest(alertSample(host, h.clock.t, { cpu }));
  await h.settle();
}

/** Every notice sent so far, in order (events close together share a message). */
const notices = () => h.sent.flatMap((s) => s.notices);
const kinds = () => notices().map((n) => n.kind);

async function waitSent(n: number): Promise<void> {
  await vi.waitFor(() => expect(notices().length).toBeGreaterThanOrEqual(n), { timeout: 3000, interval: 10 });
}

describe('alerts service', () => {
  it('starts with the built-in rules, editable, resettable, not deletable', () => {
    const builtins = h.service.listRules().filter((r) => r.builtin);
    expect(builtins.every((r) => !r.enabled)).toBe(true);
    expect(builtins.map((r) => r.builtin)).toEqual([
      'host-unreachable',
      'disk-full',
      'memory-low',
      'cpu-sustained',
      'swap-rising',
    ]);
    const disk = builtins.find((r) => r.builtin === 'disk-full')!;
    expect([disk.metric, disk.comparison, disk.threshold]).toEqual(['fs.used_percent', '>=', 90]);
    const { id, builtin: _b, createdAt: _c, updatedAt: _u, ...body } = disk;
    h.service.updateRule(id, { ...body, threshold: 95, clearThreshold: 90 });
    expect(h.service.requireRule(id).threshold).toBe(95);
    expect(() => h.service.removeRule(id)).toThrow(/built-in rule: disable it instead/);
    const reset = h.service.resetRule(id);
    expect([reset.threshold, reset.enabled, reset.channels]).toEqual([90, true, ['desktop']]);
  });

  it('records an incident with its timeline, notifies once, and resolves below the clear threshold', async () => {
    await feed('web-1', 50);
    await feed('web-1', 95);
    await waitSent(1);
    expect(notices().map((n) => [n.kind, n.host, n.valueText, n.thresholdText])).toEqual([
      ['firing', 'web-1', '95 %', '90 %'],
    ]);
    expect(notices()[0]!.summary).toBe('CPU on web-1 is 95 % (limit 90 %)');
    const active = h.service.active();
    expect(active.counts).toMatchObject({ firing: 1, unhandled: 1, critical: 1, worst: 'critical' });
    const [alert] = active.alerts;
    expect(alert).toMatchObject({
      host: 'web-1',
      state: 'firing',
      value: 95,
      threshold: 90,
      clearThreshold: 80,
    });
    await feed('web-1', 85); // between clear and threshold: still firing
    expect(h.service.active().counts.firing).toBe(1);
    await feed('web-1', 70);
    expect(h.service.active().alerts).toEqual([]);
    await waitSent(2);
    expect(kinds()).toEqual(['firing', 'resolved']);
    const incident = h.service.incident(alert!.incidentId!);
    expect(incident.state).toBe('resolved');
    expect(incident.peak).toBe(95);
    await vi.waitFor(() =>
      expect(h.service.incident(incident.id).events.map((e) => e.kind)).toEqual([
        'firing',
        'notified',
        'resolved',
        'notified',
      ]),
    );
  });

  it('folds a series flapping around the threshold into one incident and a handful of notifications', async () => {
    for (let i = 0; i < 40; i++) await feed('web-1', i % 2 === 0 ? 92 : 75, 15_000);
    const page = h.service.history({ ruleId: cpuRuleId() });
    expect(page.incidents).toHaveLength(1);
    const [incident] = page.incidents;
    expect(incident!.flapCount).toBe(19);
    await waitSent(3);
    // Fired, resolved, "flapping" — then quiet while it flaps.
    expect(kinds()).toEqual(['firing', 'resolved', 'flapping']);
    // It settles: after the flap window without firing, the incident closes with one last message.
    await feed('web-1', 70, 11 * 60_000);
    h.service.tick();
    await waitSent(4);
    expect(kinds()).toEqual(['firing', 'resolved', 'flapping', 'resolved']);
    expect(notices()[3]!.flapCount).toBe(19);
    const closed = h.service.incident(incident!.id);
    expect(closed.closedAt).not.toBeNull();
    expect(closed.events.filter((e) => e.kind === 'refired')).toHaveLength(19);
    // Firing again now is a new incident.
    await feed('web-1', 99);
    expect(h.service.history({ ruleId: cpuRuleId() }).incidents).toHaveLength(2);
  });

  it('keeps an acknowledgement until the incident resolves for good, and refuses one on a resolved incident', async () => {
    await feed('web-1', 95);
    const id = h.service.active().alerts[0]!.incidentId!;
    const acked = h.service.acknowledge(id, 'alice', 'looking at it');
    expect(acked.acknowledged).toMatchObject({ by: 'alice', note: 'looking at it' });
    expect(h.service.active().counts).toMatchObject({ firing: 1, unhandled: 0, worst: null });
    await feed('web-1', 70);
    await feed('web-1', 95); // back within the flap window: the same incident, still acknowledged
    expect(h.service.active().alerts[0]).toMatchObject({
      incidentId: id,
      acknowledged: { by: 'alice' },
      flapping: true,
    });
    await waitSent(2);
    // Acknowledged: no "flapping" message.
    await new Promise((r) => setTimeout(r, 50));
    expect(kinds()).toEqual(['firing', 'resolved']);
    await feed('web-1', 70);
    expect(() => h.service.acknowledge(id, 'bob', '')).toThrow(/already resolved/);
  });

  it('holds notifications back while a silence covers the host, and sends them when it ends', async () => {
    const silence = h.service.createSilence(
      { matcher: { kind: 'tag', tag: 'web' }, until: h.clock.t + 3_600_000, reason: 'maintenance' },
      'alice',
    );
    await feed('web-1', 95);
    await feed('db-1', 95);
    await waitSent(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(notices().map((n) => n.host)).toEqual(['db-1']);
    const web = h.service.active().alerts.find((a) => a.host === 'web-1')!;
    expect(web.silence).toMatchObject({ id: silence.id, reason: 'maintenance' });
    expect(h.service.active().counts.unhandled).toBe(1);
    expect(h.service.incident(web.incidentId!).events.map((e) => e.kind)).toEqual(['firing', 'silenced']);
    h.service.endSilence(silence.id);
    await waitSent(2);
    expect(notices().map((n) => [n.kind, n.host])).toEqual([
      ['firing', 'db-1'],
      ['firing', 'web-1'],
    ]);
  });

  it('lets a silence run out on the clock', async () => {
    h.service.createSilence(
      { matcher: { kind: 'rule', ruleId: cpuRuleId() }, until: h.clock.t + 60_000, reason: 'deploy' },
      'alice',
    );
    await feed('web-1', 95);
    h.clock.t += 61_000;
    h.service.tick();
    await waitSent(1);
    expect(notices()[0]!.host).toBe('web-1');
    expect(() =>
      h.service.createSilence(
        { matcher: { kind: 'host', host: 'web-1' }, until: h.clock.t - 1, reason: 'x' },
        'a',
      ),
    ).toThrow(/end in the future/);
  });

  it('streams a snapshot, then changes, then removals', async () => {
    const events: AlertsChanged[] = [];
    const stop = h.service.watch((e) => events.push(e), false);
    await feed('web-1', 95);
    await feed('web-1', 50);
    stop();
    expect(events[0]).toMatchObject({ snapshot: true, alerts: [] });
    const changes = events.slice(1);
    expect(changes[0]!.alerts.map((a) => a.state)).toEqual(['firing']);
    expect(changes[0]!.counts.firing).toBe(1);
    expect(changes.at(-1)!.removed).toEqual([changes[0]!.alerts[0]!.key]);
    expect(changes.at(-1)!.counts.firing).toBe(0);
  });

  it('carries a firing incident over a restart without a second incident or notification', async () => {
    await feed('web-1', 95);
    await waitSent(1);
    const id = h.service.active().alerts[0]!.incidentId!;
    h = await h.restart();
    expect(h.service.active().alerts.map((a) => [a.incidentId, a.state])).toEqual([[id, 'firing']]);
    await feed('web-1', 96);
    expect(h.service.history({}).incidents).toHaveLength(1);
    await feed('web-1', 60);
    await waitSent(1);
    expect(kinds()).toEqual(['resolved']);
    expect(h.service.incident(id).events.map((e) => e.kind)).toContain('restored');
  });

  it('exports history with timelines as CSV and JSON', async () => {
    await feed('web-1', 95);
    await feed('web-1', 60);
    const csv = h.service.export({}, 'csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,rule_id,rule,severity,host_id,host,label,metric,condition,state/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('CPU hot');
    expect(lines[1]).toMatch(/firing: CPU on web-1/);
    const json = JSON.parse(h.service.export({ host: 'web-1' }, 'json').body);
    expect(json.incidents[0].events.map((e: { kind: string }) => e.kind)).toEqual(['firing', 'resolved']);
    expect(h.service.export({ host: 'db-1' }, 'json').rows).toBe(0);
  });
});
