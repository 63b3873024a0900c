// Turns the alert events of one message into what each channel sends: a Slack message, a mail
// with a text and an HTML part, a webhook's JSON, a desktop notification. One event reads as a
// sentence; a storm reads as a count and a list, never as fifty messages.
import type { DesktopNotification, Severity } from '../../../common/schemas/alerts';
import { comparisonWords } from '../alerts/describe';
import { SEVERITY_WORD, type AlertNotice } from './notice';

/** How many events a message lists before "and N more". */
export const MAX_LISTED = 20;

const KIND_WORD = { firing: 'FIRING', resolved: 'RESOLVED', flapping: 'FLAPPING', test: 'TEST' } as const;

function where(n: AlertNotice): string {
  return `${n.hostName}${n.label ? ` (${n.label})` : ''}`;
}

function worstSeverity(notices: readonly AlertNotice[]): Severity {
  const order: Severity[] = ['critical', 'warning', 'info'];
  return (
    order.find((s) => notices.some((n) => n.severity === s && n.kind !== 'resolved')) ??
    notices[0]?.severity ??
    'info'
  );
}

/** One line about one event, in words. */
export function noticeLine(n: AlertNotice): string {
  switch (n.kind) {
    case 'resolved':
      return `Resolved: ${n.ruleName} on ${where(n)} — now ${n.valueText}${n.flapCount > 0 ? ` (flapped ${n.flapCount} times)` : ''}`;
    case 'flapping':
      return `Flapping: ${n.ruleName} on ${where(n)} keeps firing and clearing (${n.flapCount + 1} times); Hyperion stays quiet about it until it settles`;
    case 'test':
      return `Test notification from Hyperion: this channel works.`;
    default:
      return `${SEVERITY_WORD[n.severity]}: ${n.ruleName} on ${where(n)} — ${n.valueText} (${comparisonWords(n.comparison)} ${n.thresholdText})`;
  }
}

function counts(notices: readonly AlertNotice[]): string {
  const by = { firing: 0, resolved: 0, flapping: 0, test: 0 };
  for (const n of notices) by[n.kind]++;
  return [
    by.firing && `${by.firing} firing`,
    by.flapping && `${by.flapping} flapping`,
    by.resolved && `${by.resolved} resolved`,
    by.test && `${by.test} test`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** The message's title: the event itself, or how many there are. */
export function messageTitle(notices: readonly AlertNotice[]): string {
  if (notices.length === 1) {
    const n = notices[0]!;
    if (n.kind === 'test') return 'Hyperion test notification';
    if (n.kind === 'firing') return `${SEVERITY_WORD[n.severity]}: ${n.ruleName} on ${where(n)}`;
    return `${KIND_WORD[n.kind][0]}${KIND_WORD[n.kind].slice(1).toLowerCase()}: ${n.ruleName} on ${where(n)}`;
  }
  const hosts = new Set(notices.map((n) => n.host)).size;
  return `${notices.length} alerts on ${hosts} host${hosts === 1 ? '' : 's'}: ${counts(notices)}`;
}

function listed<T>(
  notices: readonly AlertNotice[],
  line: (n: AlertNotice) => T,
): { lines: T[]; more: number } {
  return { lines: notices.slice(0, MAX_LISTED).map(line), more: Math.max(0, notices.length - MAX_LISTED) };
}

function firstLink(notices: readonly AlertNotice[]): string | null {
  return notices.find((n) => n.link)?.link ?? null;
}

// ---- Slack -------------------------------------------------------------------------------------

function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SLACK_ICON = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
};

function slackLine(n: AlertNotice): string {
  const icon =
    n.kind === 'resolved'
      ? ':large_green_circle:'
      : n.kind === 'flapping'
        ? ':warning:'
        : n.kind === 'test'
          ? ':white_check_mark:'
          : SLACK_ICON[n.severity];
  const head =
    n.kind === 'firing'
      ? `*${SEVERITY_WORD[n.severity]}*`
      : `*${KIND_WORD[n.kind]}*${n.kind !== 'test' ? ` (${n.severity})` : ''}`;
  const link = n.link ? ` · <${n.link}|Open in Hyperion>` : '';
  if (n.kind === 'test') return `${icon} ${head} · ${slackEscape(n.summary)}${link}`;
  const body =
    n.kind === 'firing'
      ? `${slackEscape(n.summary)}`
      : n.kind === 'resolved'
        ? `now ${slackEscape(n.valueText)}${n.flapCount > 0 ? `, flapped ${n.flapCount} times` : ''}`
        : `fired and cleared ${n.flapCount + 1} times; quiet until it settles`;
  return `${icon} ${head} · *${slackEscape(n.ruleName)}* on *${slackEscape(where(n))}* — ${body}${link}`;
}

export function slackPayload(notices: readonly AlertNotice[]): Record<string, unknown> {
  const title = messageTitle(notices);
  const { lines, more } = listed(notices, slackLine);
  const text = notices.length === 1 ? noticeLine(notices[0]!) : title;
  const blocks: Record<string, unknown>[] = [];
  if (notices.length > 1) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(title)}*` } });
  }
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: [...lines, ...(more ? [`…and ${more} more`] : [])].join('\n') },
  });
  const link = firstLink(notices);
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Hyperion · ${new Date(notices[0]?.at ?? Date.now()).toISOString().replace('T', ' ').slice(0, 19)} UTC${
          link && notices.length > 1
            ? ` · <${link.replace(/\?incident=\d+$/, '')}|Open alerts in Hyperion>`
            : ''
        }`,
      },
    ],
  });
  return { text, blocks };
}

// ---- Email -------------------------------------------------------------------------------------

function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const HTML_COLOR = { critical: '#b91c1c', warning: '#b45309', info: '#1d4ed8' };

export function emailContent(notices: readonly AlertNotice[]): {
  subject: string;
  text: string;
  html: string;
} {
  const title = messageTitle(notices);
  const subject = `[Hyperion] ${title}`;
  const { lines, more } = listed(notices, (n) => n);
  const textLines = lines.map((n) => {
    const parts = [`- ${noticeLine(n)}`];
    if (n.kind === 'firing' || n.kind === 'flapping') parts.push(`  ${n.summary}`);
    if (n.kind !== 'test') parts.push(`  Fired ${n.firedAt ? new Date(n.firedAt).toISOString() : '–'}`);
    if (n.link) parts.push(`  ${n.link}`);
    return parts.join('\n');
  });
  const text = [title, '', ...textLines, ...(more ? [`…and ${more} more.`] : []), '', '— Hyperion'].join(
    '\n',
  );
  const rows = lines
    .map((n) => {
      const color = n.kind === 'resolved' ? '#15803d' : HTML_COLOR[n.severity];
      const state = n.kind === 'firing' ? SEVERITY_WORD[n.severity] : KIND_WORD[n.kind];
      const link = n.link ? ` <a href="${htmlEscape(n.link)}">Open in Hyperion</a>` : '';
      return `<tr><td style="padding:4px 8px;color:${color};font-weight:bold;white-space:nowrap">${state}</td><td style="padding:4px 8px"><strong>${htmlEscape(n.ruleName)}</strong> on <strong>${htmlEscape(where(n))}</strong><br>${htmlEscape(n.kind === 'resolved' ? `Now ${n.valueText}` : n.summary)}${link}</td></tr>`;
    })
    .join('');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:14px;color:#17202b"><h2 style="font-size:16px;color:${HTML_COLOR[worstSeverity(notices)]}">${htmlEscape(title)}</h2><table style="border-collapse:collapse">${rows}</table>${more ? `<p>…and ${more} more.</p>` : ''}<p style="color:#5b6677;font-size:12px">— Hyperion</p></body></html>`;
  return { subject, text, html };
}

// ---- Webhook -----------------------------------------------------------------------------------

export function webhookPayload(messageId: string, notices: readonly AlertNotice[]): Record<string, unknown> {
  return {
    version: 1,
    id: messageId,
    title: messageTitle(notices),
    events: notices.map((n) => ({
      kind: n.kind,
      incidentId: n.incidentId,
      rule: { id: n.ruleId, name: n.ruleName },
      severity: n.severity,
      host: { id: n.host, name: n.hostName },
      label: n.label,
      metric: n.metric,
      value: n.value,
      valueText: n.valueText,
      comparison: n.comparison,
      thresholdText: n.thresholdText,
      summary: n.summary,
      at: n.at,
      firedAt: n.firedAt,
      flapCount: n.flapCount,
      link: n.link,
    })),
  };
}

// ---- Desktop -----------------------------------------------------------------------------------

export function desktopNotification(messageId: string, notices: readonly AlertNotice[]): DesktopNotification {
  const title = messageTitle(notices);
  const { lines, more } = listed(notices.slice(0, 5), noticeLine);
  const body =
    notices.length === 1
      ? notices[0]!.kind === 'firing'
        ? notices[0]!.summary
        : noticeLine(notices[0]!)
      : [...lines, ...(notices.length > 5 ? [`…and ${notices.length - 5 + more} more`] : [])].join('\n');
  const incident = notices.length === 1 ? notices[0]!.incidentId : null;
  return {
    id: messageId,
    title,
    body,
    severity: worstSeverity(notices),
    route: incident ? `#/alerts?incident=${incident}` : '#/alerts',
  };
}
