// Add or edit a notification channel. Secrets (webhook URLs, SMTP password, signing key) are
// write-only: the form never shows a stored one, an empty field keeps it.
import { useState, type FormEvent, type ReactNode } from 'react';
import type { Channel, ChannelInput, ChannelKind } from '../../../../common/schemas/alert-channels';
import type { Severity } from '../../../../common/schemas/alerts';
import { useClient } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { fieldErrors, type FieldErrors } from '../../lib/api-errors';

export function ChannelDialog({
  channel,
  onClose,
  onSaved,
}: {
  channel?: Channel;
  onClose: () => void;
  onSaved: () => void;
}) {
  const client = useClient();
  const [kind, setKind] = useState<ChannelKind>(channel?.kind ?? 'slack');
  const [name, setName] = useState(channel?.name ?? '');
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);
  const [minSeverity, setMinSeverity] = useState<Severity>(channel?.minSeverity ?? 'warning');
  const [groupWindow, setGroupWindow] = useState(String(channel?.groupWindowSec ?? 10));
  const [maxPerHour, setMaxPerHour] = useState(String(channel?.maxPerHour ?? 20));
  const [url, setUrl] = useState('');
  const [signingSecret, setSigningSecret] = useState('');
  const email = channel?.email;
  const [host, setHost] = useState(email?.host ?? '');
  const [port, setPort] = useState(String(email?.port ?? 587));
  const [security, setSecurity] = useState(email?.security ?? 'starttls');
  const [username, setUsername] = useState(email?.username ?? '');
  const [password, setPassword] = useState('');
  const [from, setFrom] = useState(email?.from ?? '');
  const [to, setTo] = useState(email?.to.join(', ') ?? '');
  const [ca, setCa] = useState(email?.caCertificate ?? '');
  const [anyCert, setAnyCert] = useState(email?.allowInvalidCertificate ?? false);
  const [errors, setErrors] = useState<FieldErrors>({ byField: {}, general: undefined });
  const [saving, setSaving] = useState(false);

  const input = (): ChannelInput => {
    const common = {
      name,
      enabled,
      minSeverity,
      groupWindowSec: Number(groupWindow),
      maxPerHour: Number(maxPerHour),
    };
    const secret = (v: string) => (v === '' ? undefined : v);
    switch (kind) {
      case 'desktop':
        return { ...common, kind };
      case 'slack':
        return { ...common, kind, webhookUrl: secret(url) };
      case 'webhook':
        return { ...common, kind, webhookUrl: secret(url), signingSecret: secret(signingSecret) };
      case 'email':
        return {
          ...common,
          kind,
          host,
          port: Number(port),
          security,
          username,
          smtpPassword: secret(password),
          from,
          to: to
            .split(/[,;\s]+/)
            .map((t) => t.trim())
            .filter(Boolean),
          caCertificate: ca,
          allowInvalidCertificate: anyCert,
        };
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    try {
      if (channel) await client.call('alerts.channels.update', { id: channel.id, channel: input() });
      else await client.call('alerts.channels.create', input());
      onSaved();
    } catch (err) {
      const found = fieldErrors(err);
      const byField: Record<string, string> = {};
      for (const [p, m] of Object.entries(found.byField)) byField[p.replace(/^channel\./, '')] = m;
      setErrors({ byField, general: found.general });
    } finally {
      setSaving(false);
    }
  };
  const err = (path: string): ReactNode =>
    errors.byField[path] ? (
      <span className="field-error" role="alert" data-testid={`channel-error-${path}`}>
        {errors.byField[path]}
      </span>
    ) : null;
  const stored = (has: boolean | undefined) => (has ? 'stored — leave empty to keep it' : '');

  return (
    <Dialog
      title={channel ? `Edit ${channel.name}` : 'Add a channel'}
      onClose={onClose}
      testId="channel-dialog"
      wide
    >
      <form className="form" onSubmit={submit} noValidate>
        {!channel && (
          <label>
            Kind
            <select value={kind} onChange={(e) => setKind(e.target.value as ChannelKind)} name="kind">
              <option value="slack">Slack (incoming webhook)</option>
              <option value="email">Email (SMTP)</option>
              <option value="webhook">Webhook (JSON, signed with HMAC-SHA256)</option>
              <option value="desktop">Desktop notification</option>
            </select>
          </label>
        )}
        <div className="form-row">
          <label className="grow">
            Name
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              name="name"
              placeholder="#ops on Slack"
              autoFocus
            />
            {err('name')}
          </label>
          <label className="inline">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> enabled
          </label>
        </div>
        {(kind === 'slack' || kind === 'webhook') && (
          <label>
            {kind === 'slack' ? 'Incoming-webhook URL' : 'URL to POST to'}{' '}
            <span className="muted">(kept in the keychain, never shown again)</span>
            <input
              type="password"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              name="webhookUrl"
              autoComplete="off"
              placeholder={
                stored(channel?.secrets.webhookUrl) ||
                (kind === 'slack' ? 'https://hooks.slack.com/services/…' : 'https://…')
              }
            />
            {channel?.endpointHint && <span className="muted small">now: {channel.endpointHint}</span>}
            {err('webhookUrl')}
          </label>
        )}
        {kind === 'webhook' && (
          <label>
            Signing secret{' '}
            <span className="muted">
              (the receiver checks X-Hyperion-Signature: sha256=HMAC(secret, timestamp + "." + body))
            </span>
            <input
              type="password"
              value={signingSecret}
              onChange={(e) => setSigningSecret(e.target.value)}
              name="signingSecret"
              autoComplete="new-password"
              placeholder={stored(channel?.secrets.signingSecret) || 'at least 16 characters'}
            />
            {err('signingSecret')}
          </label>
        )}
        {kind === 'email' && (
          <>
            <div className="form-row">
              <label className="grow">
                SMTP server
                <input
                  value={host}
                  onChange={(e) => setHost(e.target.value)}
                  name="host"
                  placeholder="smtp.example.org"
                />
                {err('host')}
              </label>
              <label className="narrow">
                Port
                <input
                  value={port}
                  onChange={(e) => setPort(e.target.value)}
                  name="port"
                  inputMode="numeric"
                />
                {err('port')}
              </label>
              <label>
                Security
                <select
                  value={security}
                  onChange={(e) => {
                    const v = e.target.value as typeof security;
                    setSecurity(v);
                    setPort(v === 'tls' ? '465' : v === 'starttls' ? '587' : '25');
                  }}
                  name="security"
                >
                  <option value="starttls">STARTTLS (587)</option>
                  <option value="tls">TLS (465)</option>
                  <option value="none">None (plain text)</option>
                </select>
              </label>
            </div>
            <div className="form-row">
              <label className="grow">
                User <span className="muted">(empty: no login)</span>
                <input
                  value={username}
                  onChange={(e) => setUsername(e.target.value)}
                  name="username"
                  autoComplete="off"
                />
                {err('username')}
              </label>
              <label className="grow">
                Password <span className="muted">(kept in the keychain)</span>
                <input
                  type="password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  name="smtpPassword"
                  autoComplete="new-password"
                  placeholder={stored(channel?.secrets.smtpPassword)}
                />
                {err('smtpPassword')}
              </label>
            </div>
            <div className="form-row">
              <label className="grow">
                From
                <input
                  value={from}
                  onChange={(e) => setFrom(e.target.value)}
                  name="from"
                  placeholder="hyperion@example.org"
                />
                {err('from')}
              </label>
              <label className="grow">
                To <span className="muted">(comma-separated)</span>
                <input
                  value={to}
                  onChange={(e) => setTo(e.target.value)}
                  name="to"
                  placeholder="ops@example.org"
                />
                {err('to')}
                {Object.entries(errors.byField)
                  .filter(([p]) => p.startsWith('to.'))
                  .map(([p, m]) => (
                    <span key={p} className="field-error">
                      {m}
                    </span>
                  ))}
              </label>
            </div>
            {security !== 'none' && (
              <>
                <label>
                  CA certificate{' '}
                  <span className="muted">(PEM, for a relay with a private CA; empty: the system’s)</span>
                  <textarea
                    value={ca}
                    onChange={(e) => setCa(e.target.value)}
                    name="caCertificate"
                    rows={3}
                    placeholder="-----BEGIN CERTIFICATE-----"
                  />
                  {err('caCertificate')}
                </label>
                <label className="inline">
                  <input
                    type="checkbox"
                    checked={anyCert}
                    onChange={(e) => setAnyCert(e.target.checked)}
                    name="allowInvalidCertificate"
                  />{' '}
                  accept any certificate{' '}
                  <span className="tone-warn">(test relays only: anyone in between could read the mail)</span>
                </label>
              </>
            )}
            {security === 'none' && username && (
              <p className="tone-warn small">The password would cross the network in plain text.</p>
            )}
          </>
        )}
        <div className="form-row">
          <label>
            From severity
            <select
              value={minSeverity}
              onChange={(e) => setMinSeverity(e.target.value as Severity)}
              name="minSeverity"
            >
              <option value="info">Info and up</option>
              <option value="warning">Warning and up</option>
              <option value="critical">Critical only</option>
            </select>
          </label>
          <label className="narrow">
            Group over (s)
            <input
              value={groupWindow}
              onChange={(e) => setGroupWindow(e.target.value)}
              inputMode="numeric"
              name="groupWindowSec"
            />
            {err('groupWindowSec')}
          </label>
          <label className="narrow">
            At most / hour
            <input
              value={maxPerHour}
              onChange={(e) => setMaxPerHour(e.target.value)}
              inputMode="numeric"
              name="maxPerHour"
            />
            {err('maxPerHour')}
          </label>
        </div>
        <p className="muted small">
          Alerts within the grouping window go out as one message; beyond the hourly limit they wait and go
          out together. Nothing is dropped.
        </p>
        {errors.general && (
          <p className="form-error" role="alert">
            {errors.general}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving} data-testid="save-channel">
            {saving ? 'Saving…' : channel ? 'Save' : 'Add channel'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
