// Notification channels (desktop, Slack, email, webhook) and their outbox, as the contract carries
// them. Secret fields are write-only: they go in, and only "is one stored" comes out.
import { z } from 'zod';
import { ChannelId, Severity } from './alerts';

export const ChannelKind = z.enum(['desktop', 'slack', 'email', 'webhook']);
export type ChannelKind = z.infer<typeof ChannelKind>;

/** An http(s) URL without credentials in it; the whole URL is a secret (Slack's carries the token). */
export const EndpointUrl = z
  .string()
  .trim()
  .max(2000, 'at most 2000 characters')
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'enter the full URL, starting with https://');

const EmailAddress = z
  .string()
  .trim()
  .max(320)
  .regex(/^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+$/, 'an email address looks like ops@example.org');

const MailHost = z
  .string()
  .trim()
  .min(1, 'enter the mail server’s name or address')
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'use a host name or an IP address')
  .refine((v) => !v.startsWith('-'), 'a host name cannot start with "-"');

const ChannelCommon = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'give the channel a name')
    .max(80, 'at most 80 characters')
    .regex(/^[^\p{Cc}]*$/u, 'a name is one line of text'),
  enabled: z.boolean().default(true),
  /** Alerts below this severity are not sent here. */
  minSeverity: Severity.default('info'),
  /** Alerts within this many seconds go out as one message. */
  groupWindowSec: z.number().int().min(0, 'cannot be negative').max(600, 'at most 10 minutes').default(10),
  /** At most this many messages per hour; beyond it alerts wait and go out together. */
  maxPerHour: z.number().int().min(1, 'at least 1').max(3600, 'at most 3600').default(20),
});

/** Secrets: undefined keeps what is stored; '' removes it (where allowed); a value replaces it. */
const WriteOnly = (what: z.ZodType<string>) => what.optional();

export const DesktopChannelInput = ChannelCommon.extend({ kind: z.literal('desktop') }).strict();

export const SlackChannelInput = ChannelCommon.extend({
  kind: z.literal('slack'),
  /** Slack's incoming-webhook URL (a secret: kept in the keychain). */
  webhookUrl: WriteOnly(EndpointUrl),
}).strict();

export const WebhookChannelInput = ChannelCommon.extend({
  kind: z.literal('webhook'),
  webhookUrl: WriteOnly(EndpointUrl),
  /** The HMAC-SHA256 key of the X-Hyperion-Signature header (a secret). */
  signingSecret: WriteOnly(z.string().min(16, 'use at least 16 characters').max(512)),
}).strict();

export const MailSecurity = z.enum(['tls', 'starttls', 'none']);

export const EmailChannelInput = ChannelCommon.extend({
  kind: z.literal('email'),
  host: MailHost,
  port: z.coerce
    .number({ error: 'the port is a number' })
    .int()
    .min(1, 'ports go from 1 to 65535')
    .max(65535, 'ports go from 1 to 65535'),
  /** tls: TLS from the first byte (465); starttls: upgrade required (587); none: plain text. */
  security: MailSecurity,
  username: z.string().trim().max(320).default(''),
  smtpPassword: WriteOnly(z.string().max(1024)),
  from: EmailAddress,
  to: z.array(EmailAddress).min(1, 'add at least one recipient').max(50, 'at most 50 recipients'),
  /** A private CA (PEM) the server's certificate must chain to, for internal relays. */
  caCertificate: z
    .string()
    .trim()
    .max(20_000)
    .refine(
      (v) => v === '' || /-----BEGIN CERTIFICATE-----/.test(v),
      'paste the certificate in PEM form (-----BEGIN CERTIFICATE-----)',
    )
    .default(''),
  /** Accept any certificate (self-signed test relays); the UI warns. */
  allowInvalidCertificate: z.boolean().default(false),
}).strict();

export const ChannelInput = z.discriminatedUnion('kind', [
  DesktopChannelInput,
  SlackChannelInput,
  WebhookChannelInput,
  EmailChannelInput,
]);
export type ChannelInput = z.input<typeof ChannelInput>;
export type ParsedChannelInput = z.output<typeof ChannelInput>;

export const ChannelStatus = z.object({
  /** Messages stored and not yet delivered. */
  queued: z.number().int(),
  /** Messages given up on (the endpoint refused them, or they waited too long). */
  failed: z.number().int(),
  lastSentAt: z.number().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.number().nullable(),
  nextAttemptAt: z.number().nullable(),
});
export type ChannelStatus = z.infer<typeof ChannelStatus>;

/** A channel as shown: settings without secrets, whether each secret is stored, and how it is doing. */
export const Channel = z.object({
  id: ChannelId,
  kind: ChannelKind,
  name: z.string(),
  enabled: z.boolean(),
  minSeverity: Severity,
  groupWindowSec: z.number().int(),
  maxPerHour: z.number().int(),
  /** The non-secret part of the endpoint ("https://hooks.slack.com/…"), for people to recognise it. */
  endpointHint: z.string().nullable(),
  /** Email settings (never the password). */
  email: z
    .object({
      host: z.string(),
      port: z.number().int(),
      security: MailSecurity,
      username: z.string(),
      from: z.string(),
      to: z.array(z.string()),
      caCertificate: z.string(),
      allowInvalidCertificate: z.boolean(),
    })
    .nullable(),
  secrets: z.object({ webhookUrl: z.boolean(), smtpPassword: z.boolean(), signingSecret: z.boolean() }),
  status: ChannelStatus,
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Channel = z.infer<typeof Channel>;

export const ChannelTestResult = z.object({
  ok: z.boolean(),
  /** What happened, in a sentence: "Slack accepted the message", or the server's error. */
  message: z.string(),
  /** The server's own words (status line, SMTP reply), when there are some. */
  detail: z.string().nullable(),
  durationMs: z.number(),
});
export type ChannelTestResult = z.infer<typeof ChannelTestResult>;

export const OutboxState = z.enum(['pending', 'sent', 'failed']);

export const OutboxMessage = z.object({
  id: z.number().int(),
  channelId: z.string(),
  title: z.string(),
  events: z.number().int(),
  state: OutboxState,
  attempts: z.number().int(),
  createdAt: z.number(),
  nextAttemptAt: z.number().nullable(),
  sentAt: z.number().nullable(),
  lastError: z.string().nullable(),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;

export { ChannelId };
