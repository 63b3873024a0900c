// Notification channels: settings in SQLite, secrets (webhook URLs, SMTP passwords, signing keys)
// in the keychain through the secrets port. The database only records that a secret exists.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from '../../../common/errors';
import type { Channel, ChannelKind, ParsedChannelInput } from '../../../common/schemas/alert-channels';
import { MailSecurity } from '../../../common/schemas/alert-channels';
import { Severity } from '../../../common/schemas/alerts';
import {
  channelSigningSecretRef,
  channelSmtpPasswordRef,
  channelWebhookRef,
  type SecretRef,
  type SecretStore,
} from '../secrets/port';
import type { Db } from '../store/database';

const StoredConfig = z.object({
  minSeverity: Severity,
  groupWindowSec: z.number().int(),
  maxPerHour: z.number().int(),
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
});
type StoredConfig = z.infer<typeof StoredConfig>;

interface Row {
  id: string;
  kind: string;
  name: string;
  enabled: number;
  config: string;
  endpoint_hint: string | null;
  has_webhook_url: number;
  has_smtp_password: number;
  has_signing_secret: number;
  created_at: number;
  updated_at: number;
}

/** A channel as the core keeps it (the view without its live status). */
export type ChannelRecord = Omit<Channel, 'status'>;

export interface ChannelSecrets {
  webhookUrl?: string;
  smtpPassword?: string;
  signingSecret?: string;
}

type SecretField = keyof ChannelSecrets;

const SECRET_REFS: Record<SecretField, (id: string) => SecretRef> = {
  webhookUrl: channelWebhookRef,
  smtpPassword: channelSmtpPasswordRef,
  signingSecret: channelSigningSecretRef,
};

const SECRET_FIELDS: Record<ChannelKind, SecretField[]> = {
  desktop: [],
  slack: ['webhookUrl'],
  webhook: ['webhookUrl', 'signingSecret'],
  email: ['smtpPassword'],
};

const COLUMN: Record<SecretField, 'has_webhook_url' | 'has_smtp_password' | 'has_signing_secret'> = {
  webhookUrl: 'has_webhook_url',
  smtpPassword: 'has_smtp_password',
  signingSecret: 'has_signing_secret',
};

/** The part of an endpoint people may see: scheme and host, never the path (Slack's token is there). */
export function endpointHint(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(not a URL)';
  }
}

function fieldError(path: string, message: string): ApiError {
  return new ApiError('invalid_input', message, { issues: [{ path, message }] });
}

export class ChannelBook {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretStore,
    private readonly now: () => number = Date.now,
  ) {}

  private toRecord(row: Row): ChannelRecord {
    const config = StoredConfig.parse(JSON.parse(row.config));
    return {
      id: row.id,
      kind: row.kind as ChannelKind,
      name: row.name,
      enabled: row.enabled === 1,
      minSeverity: config.minSeverity,
      groupWindowSec: config.groupWindowSec,
      maxPerHour: config.maxPerHour,
      endpointHint: row.endpoint_hint,
      email: config.email,
      secrets: {
        webhookUrl: row.has_webhook_url === 1,
        smtpPassword: row.has_smtp_password === 1,
        signingSecret: row.has_signing_secret === 1,
      },
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  list(): ChannelRecord[] {
    return (this.db.prepare('SELECT * FROM alert_channels ORDER BY created_at, id').all() as Row[]).map((r) =>
      this.toRecord(r),
    );
  }

  get(id: string): ChannelRecord | undefined {
    const row = this.db.prepare('SELECT * FROM alert_channels WHERE id = ?').get(id) as Row | undefined;
    return row ? this.toRecord(row) : undefined;
  }

  require(id: string): ChannelRecord {
    const channel = this.get(id);
    if (!channel) throw new ApiError('not_found', `There is no notification channel with id "${id}".`);
    return channel;
  }

  async create(
    input: ParsedChannelInput,
    id = `ch-${randomBytes(4).toString('hex')}`,
  ): Promise<ChannelRecord> {
    this.checkName(input.name, undefined);
    if ((input.kind === 'slack' || input.kind === 'webhook') && !input.webhookUrl) {
      throw fieldError(
        'webhookUrl',
        input.kind === 'slack' ? 'paste the incoming-webhook URL Slack gave you' : 'enter the URL to post to',
      );
    }
    const now = this.now();
    this.db
      .prepare(
        `INSERT INTO alert_channels (id, kind, name, enabled, config, endpoint_hint, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.kind,
        input.name,
        input.enabled ? 1 : 0,
        JSON.stringify(configOf(input)),
        hintOf(input, null),
        now,
        now,
      );
    try {
      await this.storeSecrets(id, input);
    } catch (err) {
      this.db.prepare('DELETE FROM alert_channels WHERE id = ?').run(id);
      throw err;
    }
    return this.require(id);
  }

  async update(id: string, input: ParsedChannelInput): Promise<ChannelRecord> {
    const before = this.require(id);
    if (before.kind !== input.kind) {
      throw fieldError(
        'channel.kind',
        `This is a ${before.kind} channel: add a new channel for ${input.kind}.`,
      );
    }
    this.checkName(input.name, id);
    this.db
      .prepare(
        'UPDATE alert_channels SET name = ?, enabled = ?, config = ?, endpoint_hint = ?, updated_at = ? WHERE id = ?',
      )
      .run(
        input.name,
        input.enabled ? 1 : 0,
        JSON.stringify(configOf(input)),
        hintOf(input, before.endpointHint),
        this.now(),
        id,
      );
    await this.storeSecrets(id, input);
    return this.require(id);
  }

  async remove(id: string): Promise<void> {
    const channel = this.require(id);
    for (const field of SECRET_FIELDS[channel.kind]) {
      await this.secrets.delete(SECRET_REFS[field](id)).catch(() => false);
    }
    this.db.prepare('DELETE FROM alert_channels WHERE id = ?').run(id);
  }

  /** The channel's secrets, read from the store when a message is about to go out. */
  async secretsOf(channel: ChannelRecord): Promise<ChannelSecrets> {
    const out: ChannelSecrets = {};
    for (const field of SECRET_FIELDS[channel.kind]) {
      if (!channel.secrets[field]) continue;
      const value = await this.secrets.get(SECRET_REFS[field](channel.id));
      if (value !== undefined) out[field] = value;
    }
    return out;
  }

  private checkName(name: string, id: string | undefined): void {
    const clash = this.db.prepare('SELECT id FROM alert_channels WHERE name = ?').get(name) as
      { id: string } | undefined;
    if (clash && clash.id !== id) throw fieldError('name', `There is already a channel called ${name}.`);
  }

  private async storeSecrets(id: string, input: ParsedChannelInput): Promise<void> {
    const values = input as ChannelSecrets;
    for (const field of SECRET_FIELDS[input.kind]) {
      const value = values[field];
      if (value === undefined) continue;
      const ref = SECRET_REFS[field](id);
      if (value === '') {
        if (field === 'webhookUrl')
          throw fieldError(field, 'the URL cannot be removed: delete the channel instead');
        await this.secrets.delete(ref);
        this.db.prepare(`UPDATE alert_channels SET ${COLUMN[field]} = 0 WHERE id = ?`).run(id);
        continue;
      }
      await this.secrets.set(ref, value);
      this.db.prepare(`UPDATE alert_channels SET ${COLUMN[field]} = 1 WHERE id = ?`).run(id);
    }
  }
}

function configOf(input: ParsedChannelInput): StoredConfig {
  return {
    minSeverity: input.minSeverity,
    groupWindowSec: input.groupWindowSec,
    maxPerHour: input.maxPerHour,
    email:
      input.kind === 'email'
        ? {
            host: input.host,
            port: input.port,
            security: input.security,
            username: input.username,
            from: input.from,
            to: input.to,
            caCertificate: input.caCertificate,
            allowInvalidCertificate: input.allowInvalidCertificate,
          }
        : null,
  };
}

function hintOf(input: ParsedChannelInput, before: string | null): string | null {
  if (input.kind === 'slack' || input.kind === 'webhook')
    return input.webhookUrl ? endpointHint(input.webhookUrl) : before;
  if (input.kind === 'email')
    return `${input.security === 'tls' ? 'smtps' : 'smtp'}://${input.host}:${input.port}`;
  return null;
}
