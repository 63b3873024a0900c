// The outbox on a real SQLite file: stored before sending, grouped, rate-limited, retried with
// backoff, given up on refusal or age, and picked up again after a restart.
import type { AlertNotice } from '../../../../../main/core/notify/notice';
import type { SendOutcome } from '../../../../../main/core/notify/send-types';
import { createAlertsHarness, type AlertsHarness } from '../../../../helpers/alerts-harness';

let h: AlertsHarness;
beforeEach(async () => {
  h = await createAlertsHarness();
});
afterEach(() => h.dispose());

function notice(host: string, over: Partial<AlertNotice> = {}): AlertNotice {
  return {
    kind: 'firing',
    incidentId: null,
    ruleId: 'r',
    ruleName: 'CPU hot',
    severity: 'critical',
    host,
    hostName: host,
    label: '',
    metric: 'cpu.usage',
    value: 97,
    valueText: '97 %',
    thresholdText: '90 %',
    comparison: '>=',
    summary: `CPU on ${host} is 97 %`,
    at: h.clock.t,
    firedAt: h.clock.t,
    flapCount: 0,
    link: null,
    ...over,
  };
}

let n = 0;
async function channel(
  over: { groupWindowSec?: number; maxPerHour?: number; minSeverity?: 'info' | 'warning' | 'critical' } = {},
) {
  return h.channels.create({
    kind: 'slack',
    name: `Slack ${++n}`,
    enabled: true,
    minSeverity: over.minSeverity ?? 'info',
    groupWindowSec: over.groupWindowSec ?? 0,
    maxPerHour: over.maxPerHour ?? 100,
    webhookUrl: 'https://hooks.slack.example/services/T0/B0/secret-token',
  });
}

const sentHosts = () => h.sent.map((s) => s.notices.map((x) => x.host));

describe('outbox', () => {
  it('turns a storm of 50 firing hosts into one message per channel', async () => {
    const a = await channel({ groupWindowSec: 0 });
    const b = await channel({ groupWindowSec: 0 });
    for (let i = 0; i < 50; i++) {
      h.outbox.enqueue(a.id, notice(`web-${i}`));
      h.outbox.enqueue(b.id, notice(`web-${i}`));
    }
    await vi.waitFor(() => expect(h.sent).toHaveLength(2));
    expect(h.sent.map((s) => s.notices.length)).toEqual([50, 50]);
    expect(h.outbox.list(a.id, 10)).toMatchObject([
      { state: 'sent', events: 50, title: '50 alerts on 50 hosts: 50 firing' },
    ]);
  });

  it('stores each event before anything is sent', async () => {
    const a = await channel({ groupWindowSec: 60 });
    h.outbox.enqueue(a.id, notice('web-1'));
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM notify_events WHERE message_id IS NULL').get()).toEqual({
      n: 1,
    });
    expect(h.outbox.status(a.id).queued).toBe(1);
    expect(h.sent).toEqual([]);
  });

  it('skips channels whose minimum severity the alert does not reach', async () => {
    const a = await channel({ minSeverity: 'critical' });
    expect(h.outbox.enqueue(a.id, notice('web-1', { severity: 'warning' }))).toBe(false);
    expect(h.outbox.enqueue(a.id, notice('web-1'))).toBe(true);
  });

  it('holds messages beyond the hourly limit and sends what waited as one when it allows', async () => {
    const a = await channel({ maxPerHour: 2 });
    for (const host of ['a', 'b']) {
      h.outbox.enqueue(a.id, notice(host));
      await vi.waitFor(() => expect(h.sent.at(-1)?.notices[0]?.host).toBe(host));
      h.clock.t += 1000;
    }
    for (const host of ['c', 'd', 'e']) h.outbox.enqueue(a.id, notice(host));
    await new Promise((r) => setTimeout(r, 50));
    expect(sentHosts()).toEqual([['a'], ['b']]);
    expect(h.outbox.status(a.id).queued).toBe(3);
    h.clock.t += 3_600_000;
    h.outbox.wake();
    await vi.waitFor(() => expect(sentHosts()).toEqual([['a'], ['b'], ['c', 'd', 'e']]));
  });

  it('retries with backoff while the endpoint is down and sends once when it answers', async () => {
    const a = await channel();
    const answers: SendOutcome[] = [
      { ok: false, permanent: false, error: 'Slack could not be reached: ECONNREFUSED.', detail: null },
      { ok: false, permanent: false, error: 'Slack could not be reached: ECONNREFUSED.', detail: null },
    ];
    h.answer.next = () => answers.shift() ?? { ok: true, detail: 'HTTP 200 OK: ok' };
    h.outbox.enqueue(a.id, notice('web-1'));
    await vi.waitFor(() => expect(h.sent).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 100));
    expect(h.sent).toHaveLength(1);
    expect(h.outbox.list(a.id, 5)).toMatchObject([{ state: 'sent', attempts: 3, lastError: null }]);
    expect(h.outbox.status(a.id)).toMatchObject({ queued: 0, failed: 0, lastError: null });
  });

  it('keeps the order of a channel’s messages while the first one waits for a retry', async () => {
    const a = await channel();
    let down = true;
    h.answer.next = () =>
      down ? { ok: false, permanent: false, error: 'down', detail: null } : { ok: true, detail: 'ok' };
    h.outbox.enqueue(a.id, notice('first'));
    await vi.waitFor(() => expect(h.outbox.list(a.id, 5)[0]!.attempts).toBeGreaterThan(0));
    h.outbox.enqueue(a.id, notice('second'));
    await new Promise((r) => setTimeout(r, 30));
    down = false;
    await vi.waitFor(() => expect(sentHosts().flat()).toEqual(['first', 'second']));
  });

  it('gives up on a refusal at once and says why; "retry" tries again', async () => {
    const a = await channel();
    h.answer.next = () => ({
      ok: false,
      permanent: true,
      error: 'Slack refused the message (HTTP 404 Not Found: no_service).',
      detail: 'HTTP 404 Not Found: no_service',
    });
    h.outbox.enqueue(a.id, notice('web-1'));
    await vi.waitFor(() => expect(h.outbox.status(a.id).failed).toBe(1));
    expect(h.outbox.status(a.id).lastError).toMatch(/no_service/);
    h.answer.next = () => ({ ok: true, detail: 'ok' });
    expect(h.outbox.retry(a.id)).toBe(1);
    await vi.waitFor(() => expect(h.sent).toHaveLength(1));
    expect(h.outbox.status(a.id)).toMatchObject({ failed: 0, queued: 0 });
  });

  it('gives up on a message still undelivered after its retry period', async () => {
    const a = await channel();
    h.answer.next = () => ({ ok: false, permanent: false, error: 'down', detail: null });
    h.outbox.enqueue(a.id, notice('web-1'));
    await vi.waitFor(() => expect(h.outbox.list(a.id, 5)[0]!.attempts).toBeGreaterThan(0));
    h.clock.t += 25 * 3_600_000;
    await vi.waitFor(() => expect(h.outbox.list(a.id, 5)[0]!.state).toBe('failed'), { timeout: 2000 });
  });

  it('sends after a restart what was stored and not sent before it', async () => {
    const a = await channel({ groupWindowSec: 600 });
    h.outbox.enqueue(a.id, notice('web-1'));
    h.outbox.enqueue(a.id, notice('web-2'));
    h.clock.t += 601_000;
    h = await h.restart();
    await vi.waitFor(() => expect(sentHosts()).toEqual([['web-1', 'web-2']]));
  });
});
