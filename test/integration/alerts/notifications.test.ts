// Notifications end to end through the API of a real core, to real endpoints on loopback: an SMTP
// server (STARTTLS with a login, and implicit TLS) receives the mails, an HTTP server plays Slack
// and a signed webhook. Test buttons report the server's real answer; a storm of 50 hosts gives a
// few messages; every endpoint goes down for a while and, once back, gets every notification once.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Api } from '../../../common/api';
import type { Channel } from '../../../common/schemas/alert-channels';
import type { ApiClient } from '../../../common/rpc/client';
import { insertHost } from '../../../main/core/store/hosts-repo';
import { alertSample } from '../../helpers/alert-samples';
import { connectTestClient, createTestCore, type TestCore } from '../../helpers/core';
import {
  mailHeader,
  mimePart,
  startHttpReceiver,
  startSmtpReceiver,
  type HttpReceiver,
  type SmtpReceiver,
} from '../../helpers/notify-endpoints';

const SLACK_PATH = '/services/T0HYPER/B0ION/abcdefSECRETtoken123';
const SIGNING_SECRET = 'webhook-signing-secret-0123456789';
const SMTP_USER = 'alerts@example.org';
const SMTP_PASSWORD = 'smtp-password-Zq8#';

let testCore: TestCore;
let client: ApiClient<Api>;
let http: HttpReceiver;
let smtp: SmtpReceiver;
let smtps: SmtpReceiver;
let slack: Channel;
let hook: Channel;
let mail: Channel;
let mailTls: Channel;

beforeAll(async () => {
  [http, smtp, smtps] = await Promise.all([
    startHttpReceiver(),
    startSmtpReceiver({ user: SMTP_USER, password: SMTP_PASSWORD }),
    startSmtpReceiver({ implicitTls: true }),
  ]);
  testCore = await createTestCore({
    alertTuning: { backoff: { initialMs: 150, maxMs: 600 }, tickMs: 100, valueRefreshMs: 500 },
  });
  await testCore.core.start();
  client = connectTestClient(testCore.core).client;
  // The built-in rules watch this machine for real: keep them out of the counts.
  for (const rule of await client.call('alerts.rules.list', {})) {
    const { id, builtin: _b, createdAt: _c, updatedAt: _u, ...body } = rule;
    await client.call('alerts.rules.update', { id, rule: { ...body, enabled: false } });
  }
  await client.call('alerts.setSettings', { linkBaseUrl: 'http://127.0.0.1:7420', flapWindowMin: 10 });
  const common = { enabled: true, minSeverity: 'info' as const, groupWindowSec: 2, maxPerHour: 60 };
  slack = await client.call('alerts.channels.create', {
    ...common,
    kind: 'slack',
    name: 'Ops Slack',
    webhookUrl: `${http.origin}${SLACK_PATH}`,
  });
  hook = await client.call('alerts.channels.create', {
    ...common,
    kind: 'webhook',
    name: 'Pager bridge',
    webhookUrl: `${http.origin}/hook`,
    signingSecret: SIGNING_SECRET,
  });
  mail = await client.call('alerts.channels.create', {
    ...common,
    kind: 'email',
    name: 'Ops mail',
    host: '127.0.0.1',
    port: smtp.port,
    security: 'starttls',
    username: SMTP_USER,
    smtpPassword: SMTP_PASSWORD,
    from: 'hyperion@example.org',
    to: ['ops@example.org', 'oncall@example.org'],
    caCertificate: smtp.cert,
  });
  mailTls = await client.call('alerts.channels.create', {
    ...common,
    kind: 'email',
    name: 'Relay (TLS)',
    host: '127.0.0.1',
    port: smtps.port,
    security: 'tls',
    from: 'hyperion@example.org',
    to: ['ops@example.org'],
    caCertificate: smtps.cert,
  });
}, 60_000);

afterAll(async () => {
  client?.close();
  await testCore?.dispose();
  await Promise.all([http?.stop(), smtp?.stop(), smtps?.stop()]);
});

const slackRequests = () => http.requests.filter((r) => r.path === SLACK_PATH);
const hookRequests = () => http.requests.filter((r) => r.path === '/hook');

function verifySignature(r: { headers: Record<string, unknown>; body: string }): boolean {
  const ts = String(r.headers['x-hyperion-timestamp']);
  const expected = `sha256=${createHmac('sha256', SIGNING_SECRET).update(`${ts}.${r.body}`).digest('hex')}`;
  return r.headers['x-hyperion-signature'] === expected;
}

describe('notification channels', () => {
  it('sends a test to Slack and shows what it answered', async () => {
    const result = await client.call('alerts.channels.test', { id: slack.id });
    expect(result).toMatchObject({ ok: true, detail: 'HTTP 200 OK: ok' });
    expect(result.message).toMatch(/Slack accepted the test message/);
    const body = JSON.parse(slackRequests().at(-1)!.body);
    expect(body.text).toMatch(/Test notification from Hyperion/);
    expect(JSON.stringify(body.blocks)).toContain('<http://127.0.0.1:7420/#/alerts|Open in Hyperion>');
  });

  it('shows Slack’s error when it refuses, without the webhook URL', async () => {
    http.respond = () => ({ status: 404, body: 'no_service' });
    try {
      const result = await client.call('alerts.channels.test', { id: slack.id });
      expect(result.ok).toBe(false);
      expect(result.message).toBe('Slack refused the message (HTTP 404 Not Found: no_service).');
      expect(JSON.stringify(result)).not.toContain('SECRETtoken');
    } finally {
      http.respond = () => ({ status: 200, body: 'ok' });
    }
  });

  it('signs webhook posts with HMAC-SHA256 over the timestamp and body', async () => {
    const result = await client.call('alerts.channels.test', { id: hook.id });
    expect(result.ok).toBe(true);
    const request = hookRequests().at(-1)!;
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-hyperion-delivery']).toMatch(/^test-\d+$/);
    expect(verifySignature(request)).toBe(true);
    expect(verifySignature({ ...request, body: request.body.replace('Hyperion', 'Hyperi0n') })).toBe(false);
    expect(JSON.parse(request.body)).toMatchObject({ version: 1, events: [{ kind: 'test' }] });
  });

  it('mails over STARTTLS with a login, with a text and an HTML part', async () => {
    const before = smtp.mails.length;
    const result = await client.call('alerts.channels.test', { id: mail.id });
    expect(result.ok).toBe(true);
    expect(result.message).toMatch(/accepted the test mail for ops@example.org, oncall@example.org/);
    const received = smtp.mails[before]!;
    expect(received).toMatchObject({ secure: true, user: SMTP_USER, from: 'hyperion@example.org' });
    expect(received.to).toEqual(['ops@example.org', 'oncall@example.org']);
    expect(mailHeader(received.raw, 'Subject')).toBe('[Hyperion] Hyperion test notification');
    expect(mimePart(received.raw, 'text/plain')).toContain(
      'Test notification from Hyperion: this channel works.',
    );
    expect(mimePart(received.raw, 'text/html')).toMatch(/<table[^>]*>.*Test notification/s);
  });

  it('mails over implicit TLS, checking the server against the CA it was given', async () => {
    const result = await client.call('alerts.channels.test', { id: mailTls.id });
    expect(result.ok).toBe(true);
    expect(smtps.mails.at(-1)!.secure).toBe(true);
    // Without the CA the self-signed certificate is refused, and the result says so.
    const { email } = mailTls;
    await client.call('alerts.channels.update', {
      id: mailTls.id,
      channel: { ...commonOf(mailTls), kind: 'email', ...email!, caCertificate: '' },
    });
    const refused = await client.call('alerts.channels.test', { id: mailTls.id });
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/certificate was not accepted/);
    await client.call('alerts.channels.update', {
      id: mailTls.id,
      channel: { ...commonOf(mailTls), kind: 'email', ...email! },
    });
  });

  it('reports a refused login with the mail server’s own reply', async () => {
    const wrong = await client.call('alerts.channels.create', {
      ...commonOf(mail),
      kind: 'email',
      name: 'Wrong password',
      ...mail.email!,
      smtpPassword: 'not-the-password',
    });
    const result = await client.call('alerts.channels.test', { id: wrong.id });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/refused the login.*535/);
    expect(result.message).not.toContain('not-the-password');
    await client.call('alerts.channels.remove', { id: wrong.id });
  });

  it('keeps webhook URLs and passwords out of the database, the channel list and the audit log', async () => {
    const listed = JSON.stringify(await client.call('alerts.channels.list', {}));
    const audit = JSON.stringify(await client.call('audit.list', { action: 'alerts.', limit: 1000 }));
    testCore.core.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = ['hyperion.db', 'hyperion.db-wal'].map((f) => {
      try {
        return readFileSync(join(testCore.dataDir, f));
      } catch {
        return Buffer.alloc(0);
      }
    });
    for (const secret of ['SECRETtoken', SIGNING_SECRET, SMTP_PASSWORD]) {
      expect(listed).not.toContain(secret);
      expect(audit).not.toContain(secret);
      for (const bytes of files) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    const slackView = JSON.parse(listed).find((c: Channel) => c.id === slack.id);
    expect(slackView).toMatchObject({ endpointHint: `${http.origin}/…`, secrets: { webhookUrl: true } });
    expect(audit).toContain('[redacted]');
  });
});

function commonOf(c: Channel) {
  return {
    name: c.name,
    enabled: c.enabled,
    minSeverity: c.minSeverity,
    groupWindowSec: c.groupWindowSec,
    maxPerHour: c.maxPerHour,
  };
}

describe('alert notifications through the outbox', () => {
  const hostIds: string[] = [];

  beforeAll(async () => {
    // Fifty saved hosts tagged "storm" (never connected to: they are not watched, only named).
    for (let i = 1; i <= 50; i++) {
      hostIds.push(
        insertHost(
          testCore.core.db,
          {
            name: `storm-${i}`,
            address: '192.0.2.10',
            port: 22,
            username: 'admin',
            authMethod: 'agent',
            keyPath: null,
            proxyJump: null,
            tags: ['storm'],
          },
          Date.now(),
        ),
      );
    }
    testCore.core.alerts.service.onHostsChanged();
    await client.call('alerts.rules.create', {
      name: 'Storm CPU',
      metric: 'cpu.usage',
      scope: { kind: 'tag', tag: 'storm' },
      comparison: '>=',
      threshold: 80,
      clearThreshold: 50,
      forSec: 0,
      severity: 'critical',
      channels: [slack.id, hook.id, mail.id],
      description: 'CPU on {host} is {value}',
    });
  });

  const publishAll = (cpu: number) => {
    const ts = Date.now();
    for (const id of hostIds) testCore.core.hub.publish(alertSample(id, ts, { cpu }));
  };
  const events = (requests: { body: string }[], kind: string, field: 'slack' | 'hook') =>
    requests.flatMap((r) => {
      const body = JSON.parse(r.body);
      if (field === 'hook')
        return body.events
          .filter((e: { kind: string }) => e.kind === kind)
          .map((e: { host: { id: string } }) => e.host.id);
      return [body.text];
    });

  it('turns 50 hosts firing at once into a handful of messages per channel', async () => {
    const slackBefore = slackRequests().length;
    const hookBefore = hookRequests().length;
    const mailBefore = smtp.mails.length;
    publishAll(95);
    await vi.waitFor(
      () => {
        const fired = hookRequests()
          .slice(hookBefore)
          .flatMap((r) => JSON.parse(r.body).events)
          .filter((e: { kind: string }) => e.kind === 'firing');
        expect(fired).toHaveLength(50);
      },
      { timeout: 20_000, interval: 200 },
    );
    await vi.waitFor(() => expect(smtp.mails.length).toBeGreaterThan(mailBefore), { timeout: 10_000 });
    const slackMessages = slackRequests().slice(slackBefore);
    const hookMessages = hookRequests().slice(hookBefore);
    expect(slackMessages.length).toBeLessThanOrEqual(3);
    expect(hookMessages.length).toBeLessThanOrEqual(3);
    expect(smtp.mails.length - mailBefore).toBeLessThanOrEqual(3);
    expect(JSON.parse(slackMessages[0]!.body).text).toMatch(/^\d+ alerts on \d+ hosts: \d+ firing$/);
    expect(hookMessages.every(verifySignature)).toBe(true);
    const { counts } = await client.call('alerts.active', {});
    expect(counts).toMatchObject({ firing: 50, critical: 50, unhandled: 50 });
    const history = await client.call('alerts.history', { ruleId: undefined, text: 'storm', limit: 500 });
    expect(history.incidents).toHaveLength(50);
    // Every incident's timeline says where it was sent.
    const one = await client.call('alerts.incident', { id: history.incidents[0]!.id });
    await vi.waitFor(async () => {
      const timeline = (await client.call('alerts.incident', { id: one.id })).events
        .map((e) => e.message)
        .join('\n');
      expect(timeline).toMatch(/Sent to Ops Slack \(slack\)/);
      expect(timeline).toMatch(/Sent to Ops mail \(email\)/);
    });
  });

  it('delivers every notification exactly once when the endpoints come back after an outage', async () => {
    const slackBefore = slackRequests().length;
    const hookBefore = hookRequests().length;
    const mailBefore = smtp.mails.length;
    await Promise.all([http.stop(), smtp.stop()]);
    publishAll(10); // every host resolves while Slack, the webhook and the mail server are down
    // The outbox keeps trying: wait for a few failed attempts on each channel.
    await vi.waitFor(
      async () => {
        const queued = await client.call('alerts.outbox.list', { limit: 20 });
        for (const id of [slack.id, hook.id, mail.id]) {
          const pending = queued.filter((m) => m.channelId === id && m.state === 'pending');
          expect(pending.length).toBeGreaterThan(0);
          expect(pending[0]!.attempts).toBeGreaterThanOrEqual(2);
          expect(pending[0]!.lastError).toMatch(/could not be reached/);
        }
      },
      { timeout: 20_000, interval: 250 },
    );
    const channels = await client.call('alerts.channels.list', {});
    expect(channels.find((c) => c.id === slack.id)!.status.queued).toBe(50);
    await Promise.all([http.start(), smtp.start()]);
    await vi.waitFor(
      async () => {
        const queued = await client.call('alerts.outbox.list', { limit: 50 });
        expect(queued.filter((m) => m.state === 'pending' && m.channelId !== 'desktop')).toEqual([]);
      },
      { timeout: 20_000, interval: 250 },
    );
    // A little longer: nothing arrives twice.
    await new Promise((r) => setTimeout(r, 1_500));
    const resolvedHosts = events(hookRequests().slice(hookBefore), 'resolved', 'hook');
    expect(resolvedHosts).toHaveLength(50);
    expect(new Set(resolvedHosts).size).toBe(50);
    const deliveries = hookRequests()
      .slice(hookBefore)
      .map((r) => r.headers['x-hyperion-delivery']);
    expect(new Set(deliveries).size).toBe(deliveries.length);
    const slackTexts = slackRequests()
      .slice(slackBefore)
      .map((r) => JSON.parse(r.body));
    const slackResolved = slackTexts.flatMap((b) =>
      b.text.startsWith('Resolved') ? [1] : [Number(/(\d+) resolved/.exec(b.text)?.[1] ?? 0)],
    );
    expect(slackResolved.reduce((a, b) => a + b, 0)).toBe(50);
    const mails = smtp.mails.slice(mailBefore);
    const mailResolved = mails
      .map((m) => mimePart(m.raw, 'text/plain').match(/^- Resolved: /gm)?.length ?? 0)
      .reduce((a, b) => a + b, 0);
    // A mail lists at most twenty events, then "…and N more".
    const more = mails
      .map((m) => Number(/…and (\d+) more/.exec(mimePart(m.raw, 'text/plain'))?.[1] ?? 0))
      .reduce((a, b) => a + b, 0);
    expect(mailResolved + more).toBe(50);
    expect(new Set(mails.map((m) => mailHeader(m.raw, 'Message-ID'))).size).toBe(mails.length);
    const { counts } = await client.call('alerts.active', {});
    expect(counts.firing).toBe(0);
  });
});
