// Mail over SMTP with nodemailer: TLS from the start (465), STARTTLS required (587) or plain;
// login when a user is set; a text and an HTML part; a Message-ID that stays the same on retries.
import nodemailer from 'nodemailer';
import { emailContent } from './render';
import { scrub, type SendOutcome, type SendRequest } from './send-types';

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

function describe(err: SmtpError): { permanent: boolean; error: string; detail: string | null } {
  const detail = err.response ?? null;
  const code = err.code ?? '';
  if (code === 'EAUTH') {
    return {
      permanent: true,
      error: `The mail server refused the login${detail ? `: ${detail}` : ''}.`,
      detail,
    };
  }
  if (/certificate|self[- ]signed|unable to verify|CERT_|altnames/i.test(err.message)) {
    return {
      permanent: true,
      error: `The mail server's certificate was not accepted: ${err.message}. Add its CA certificate to the channel.`,
      detail,
    };
  }
  if (err.responseCode !== undefined) {
    const permanent = err.responseCode >= 500;
    return {
      permanent,
      error: `The mail server ${permanent ? 'refused' : 'deferred'} the message (${err.responseCode}${detail ? `: ${detail}` : ''}).`,
      detail,
    };
  }
  if (code === 'ETLS')
    return { permanent: true, error: `TLS with the mail server failed: ${err.message}.`, detail };
  return { permanent: false, error: `The mail server could not be reached: ${err.message}.`, detail };
}

export async function sendEmail(request: SendRequest): Promise<SendOutcome> {
  const config = request.channel.email;
  if (!config)
    return { ok: false, permanent: true, error: 'This channel has no mail settings.', detail: null };
  const { secrets } = request;
  if (secrets.smtpPassword && !config.username) {
    return {
      ok: false,
      permanent: true,
      error: 'A password is stored but no user name: set the SMTP user.',
      detail: null,
    };
  }
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.security === 'tls',
    requireTLS: config.security === 'starttls',
    ignoreTLS: config.security === 'none',
    auth: config.username ? { user: config.username, pass: secrets.smtpPassword ?? '' } : undefined,
    tls: {
      rejectUnauthorized: !config.allowInvalidCertificate,
      ...(config.caCertificate ? { ca: [config.caCertificate] } : {}),
      minVersion: 'TLSv1.2',
    },
    connectionTimeout: request.timeoutMs,
    greetingTimeout: request.timeoutMs,
    socketTimeout: request.timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const { subject, text, html } = emailContent(request.notices);
  const domain = config.from.split('@')[1] ?? 'hyperion.invalid';
  try {
    const info = (await transport.sendMail({
      from: config.from,
      to: config.to,
      // Host and rule names are the user's text: a subject stays one line whatever they hold.
      subject: subject.replace(/[\r\n\t]+/g, ' '),
      text,
      html,
      messageId: `<hyperion-${request.messageId}@${domain}>`,
      headers: { 'X-Hyperion-Delivery': request.messageId, 'Auto-Submitted': 'auto-generated' },
    })) as { response?: string; accepted?: unknown[]; rejected?: unknown[] };
    const rejected = info.rejected?.length ?? 0;
    if (rejected > 0 && (info.accepted?.length ?? 0) === 0) {
      return {
        ok: false,
        permanent: true,
        error: 'The mail server refused every recipient.',
        detail: info.response ?? null,
      };
    }
    return { ok: true, detail: scrub(info.response ?? 'accepted', secrets) };
  } catch (err) {
    const d = describe(err as SmtpError);
    return {
      ok: false,
      permanent: d.permanent,
      error: scrub(d.error, secrets),
      detail: d.detail ? scrub(d.detail, secrets) : null,
    };
  } finally {
    transport.close();
  }
}
