// What sending one message needs and what came of it.
import type { ChannelRecord, ChannelSecrets } from './channels';
import type { AlertNotice } from './notice';

export type SendOutcome =
  | { ok: true; detail: string }
  | {
      ok: false;
      /** Retrying will not help (the endpoint refused the message or the credentials). */
      permanent: boolean;
      /** A sentence for people; never contains a secret. */
      error: string;
      /** The server's own words, when there are some. */
      detail: string | null;
      /** The server asked to wait this long (HTTP 429 Retry-After). */
      retryAfterMs?: number;
    };

export interface SendRequest {
  channel: ChannelRecord;
  secrets: ChannelSecrets;
  /** Stable across retries: the webhook's delivery id, the mail's Message-ID. */
  messageId: string;
  notices: readonly AlertNotice[];
  version: string;
  timeoutMs: number;
}

export type Sender = (request: SendRequest) => Promise<SendOutcome>;

/** Removes every secret value from a text before it is shown or stored. */
export function scrub(text: string, secrets: ChannelSecrets): string {
  let out = text;
  for (const value of Object.values(secrets)) {
    if (typeof value === 'string' && value.length >= 4) out = out.split(value).join('[redacted]');
  }
  return out.slice(0, 1000);
}
