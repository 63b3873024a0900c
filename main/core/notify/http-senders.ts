// Slack's incoming webhook and the generic JSON webhook (signed with HMAC-SHA256), over fetch.
// Redirects are not followed, every request has a deadline, and the server's answer is kept.
import { createHmac } from 'node:crypto';
import { slackPayload, webhookPayload } from './render';
import { scrub, type SendOutcome, type SendRequest } from './send-types';

export const SIGNATURE_HEADER = 'X-Hyperion-Signature';
export const TIMESTAMP_HEADER = 'X-Hyperion-Timestamp';
export const DELIVERY_HEADER = 'X-Hyperion-Delivery';

/** The signature a receiver recomputes: HMAC-SHA256 over "<timestamp>.<body>", hex, "sha256=" in front. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.min(3_600_000, Math.max(0, seconds * 1000));
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.min(3_600_000, Math.max(0, at - Date.now())) : undefined;
}

async function post(
  request: SendRequest,
  what: string,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<SendOutcome> {
  const { secrets } = request;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': `Hyperion/${request.version}`,
        ...headers,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const cause =
      e.name === 'TimeoutError'
        ? `no answer within ${Math.round(request.timeoutMs / 1000)} s`
        : (e.cause?.code ?? e.cause?.message ?? e.message);
    return {
      ok: false,
      permanent: false,
      error: scrub(`${what} could not be reached: ${cause}.`, secrets),
      detail: null,
    };
  }
  const text = scrub((await response.text().catch(() => '')).trim().slice(0, 500), secrets);
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const detail = text ? `${status}: ${text}` : status;
  if (response.status >= 200 && response.status < 300) return { ok: true, detail };
  if (response.status >= 300 && response.status < 400) {
    return {
      ok: false,
      permanent: true,
      error: `${what} answered with a redirect: use the final URL.`,
      detail,
    };
  }
  const temporary = response.status === 408 || response.status === 429 || response.status >= 500;
  return {
    ok: false,
    permanent: !temporary,
    error: `${what} refused the message (${status}${text ? `: ${text.slice(0, 200)}` : ''}).`,
    detail,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  };
}

export async function sendSlack(request: SendRequest): Promise<SendOutcome> {
  const url = request.secrets.webhookUrl;
  if (!url)
    return {
      ok: false,
      permanent: true,
      error: 'No webhook URL is stored for this channel: edit it and paste one.',
      detail: null,
    };
  return post(request, 'Slack', url, JSON.stringify(slackPayload(request.notices)), {});
}

export async function sendWebhook(request: SendRequest): Promise<SendOutcome> {
  const url = request.secrets.webhookUrl;
  if (!url)
    return {
      ok: false,
      permanent: true,
      error: 'No URL is stored for this webhook: edit it and enter one.',
      detail: null,
    };
  const body = JSON.stringify(webhookPayload(request.messageId, request.notices));
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    [DELIVERY_HEADER]: request.messageId,
    [TIMESTAMP_HEADER]: timestamp,
  };
  if (request.secrets.signingSecret)
    headers[SIGNATURE_HEADER] = webhookSignature(request.secrets.signingSecret, timestamp, body);
  return post(request, 'The webhook', url, body, headers);
}
