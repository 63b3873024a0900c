// What each channel says: one event as a sentence, a storm as a count and a list.
import type { AlertNotice } from '../../../../../main/core/notify/notice';
import {
  desktopNotification,
  emailContent,
  messageTitle,
  slackPayload,
  webhookPayload,
} from '../../../../../main/core/notify/render';

const base: AlertNotice = {
  kind: 'firing',
  incidentId: 12,
  ruleId: 'disk-full',
  ruleName: 'Disk almost full',
  severity: 'warning',
  host: 'web-1',
  hostName: 'web-1 <prod>',
  label: '/var',
  metric: 'fs.used_percent',
  value: 93.2,
  valueText: '93.2 %',
  thresholdText: '90 %',
  comparison: '>=',
  summary: '/var on web-1 is 93.2 % full (alert at 90 %).',
  at: Date.UTC(2026, 0, 2, 3, 4, 5),
  firedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
  flapCount: 0,
  link: 'http://hyperion.example:7420/#/alerts?incident=12',
};

describe('messages', () => {
  it('names severity, rule, host, value and threshold, with a link back, in Slack', () => {
    const payload = slackPayload([base]) as { text: string; blocks: { text?: { text: string } }[] };
    expect(payload.text).toBe('WARNING: Disk almost full on web-1 <prod> (/var) — 93.2 % (at or above 90 %)');
    const body = payload.blocks.map((b) => b.text?.text ?? '').join('\n');
    expect(body).toContain('*WARNING*');
    expect(body).toContain('*web-1 &lt;prod&gt; (/var)*');
    expect(body).toContain('<http://hyperion.example:7420/#/alerts?incident=12|Open in Hyperion>');
  });

  it('lists a storm in one message: a count, twenty lines, and how many more', () => {
    const storm = Array.from({ length: 50 }, (_, i) => ({ ...base, host: `h${i}`, hostName: `h${i}` }));
    expect(messageTitle(storm)).toBe('50 alerts on 50 hosts: 50 firing');
    const payload = slackPayload(storm) as { blocks: { text?: { text: string } }[] };
    const lines = payload.blocks[1]!.text!.text.split('\n');
    expect(lines).toHaveLength(21);
    expect(lines.at(-1)).toBe('…and 30 more');
  });

  it('writes mail with a subject, a text part and an escaped HTML part', () => {
    const mail = emailContent([
      base,
      { ...base, kind: 'resolved', valueText: '80 %', host: 'db-1', hostName: 'db-1' },
    ]);
    expect(mail.subject).toBe('[Hyperion] 2 alerts on 2 hosts: 1 firing, 1 resolved');
    expect(mail.text).toContain(
      '- WARNING: Disk almost full on web-1 <prod> (/var) — 93.2 % (at or above 90 %)',
    );
    expect(mail.text).toContain('- Resolved: Disk almost full on db-1 (/var) — now 80 %');
    expect(mail.text).toContain(base.link!);
    expect(mail.html).toContain('web-1 &#60;prod&#62;');
    expect(mail.html).not.toContain('<prod>');
    expect(mail.html).toContain(`href="${base.link}"`);
  });

  it('gives webhooks every field as data, with the message id', () => {
    const payload = webhookPayload('msg-7', [base]) as { id: string; events: Record<string, unknown>[] };
    expect(payload.id).toBe('msg-7');
    expect(payload.events[0]).toMatchObject({
      kind: 'firing',
      incidentId: 12,
      severity: 'warning',
      host: { id: 'web-1', name: 'web-1 <prod>' },
      label: '/var',
      value: 93.2,
      link: base.link,
    });
  });

  it('makes a desktop notification that opens the incident', () => {
    expect(desktopNotification('msg-1', [base])).toEqual({
      id: 'msg-1',
      title: 'WARNING: Disk almost full on web-1 <prod> (/var)',
      body: base.summary,
      severity: 'warning',
      route: '#/alerts?incident=12',
    });
    expect(desktopNotification('msg-2', [base, { ...base, severity: 'critical' }]).severity).toBe('critical');
  });
});
