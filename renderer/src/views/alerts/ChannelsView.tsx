// Notification channels: each with its state (queued, failed, last sent, the last error), a
// "Send test notification" button that shows the server's real answer, edit and delete; the
// browser's permission for desktop notifications; and the link and flap window alerts use.
import { useCallback, useState, type FormEvent } from 'react';
import type { Channel, ChannelTestResult } from '../../../../common/schemas/alert-channels';
import type { AlertSettings } from '../../../../common/schemas/alerts';
import type { HyperionClient } from '../../api/client';
import { useClient, useOnConnected } from '../../api/context';
import { EmptyState, Panel } from '../../components/Panel';
import { fieldErrors } from '../../lib/api-errors';
import { formatTime } from './alert-format';
import { ChannelDialog } from './ChannelDialog';
import { feedStore } from './useAlertsFeed';

const KIND_LABELS = {
  desktop: 'Desktop notification',
  slack: 'Slack',
  email: 'Email',
  webhook: 'Webhook (JSON, signed)',
};

export function ChannelsView() {
  const client = useClient();
  const [channels, setChannels] = useState<Channel[]>([]);
  const [editing, setEditing] = useState<Channel | 'new'>();
  const [error, setError] = useState<string>();
  const load = useCallback(
    (c: HyperionClient) =>
      void c.call('alerts.channels.list', {}).then(setChannels, (err: Error) => setError(err.message)),
    [],
  );
  useOnConnected(load);

  return (
    <>
      <Panel title="Channels" wide testId="channels">
        <div className="actions">
          <button
            type="button"
            className="primary"
            onClick={() => setEditing('new')}
            data-testid="new-channel"
          >
            Add channel
          </button>
          <button type="button" onClick={() => load(client)}>
            Refresh
          </button>
        </div>
        {error && <p className="form-error">{error}</p>}
        {channels.length === 0 ? (
          <EmptyState title="No channel yet">
            Alerts are recorded in the history; add a channel to be told about them.
          </EmptyState>
        ) : (
          <div className="channel-cards">
            {channels.map((c) => (
              <ChannelCard
                key={c.id}
                channel={c}
                onEdit={() => setEditing(c)}
                onChanged={() => load(client)}
              />
            ))}
          </div>
        )}
      </Panel>
      <SettingsPanel />
      {editing && (
        <ChannelDialog
          channel={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            load(client);
          }}
        />
      )}
    </>
  );
}

function ChannelCard({
  channel: c,
  onEdit,
  onChanged,
}: {
  channel: Channel;
  onEdit: () => void;
  onChanged: () => void;
}) {
  const client = useClient();
  const [result, setResult] = useState<ChannelTestResult>();
  const [testing, setTesting] = useState(false);
  const [error, setError] = useState<string>();
  const test = async () => {
    setTesting(true);
    setResult(undefined);
    setError(undefined);
    try {
      setResult(await client.call('alerts.channels.test', { id: c.id }));
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setTesting(false);
    }
  };
  const act = async (call: () => Promise<unknown>) => {
    try {
      await call();
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const s = c.status;
  return (
    <article className={`channel-card${c.enabled ? '' : ' disabled'}`} data-testid={`channel-${c.id}`}>
      <header>
        <h3>{c.name}</h3>
        <span className="muted small">
          {KIND_LABELS[c.kind]}
          {!c.enabled && ' · disabled'}
        </span>
      </header>
      <p className="small">
        {c.kind === 'email' && c.email
          ? `${c.email.to.join(', ')} via ${c.endpointHint}${c.email.security === 'none' ? ' (unencrypted)' : ''}`
          : (c.endpointHint ?? (c.kind === 'desktop' ? 'This computer’s notifications' : ''))}
        {c.kind === 'webhook' && !c.secrets.signingSecret && <span className="tone-warn"> · unsigned</span>}
        {c.email?.allowInvalidCertificate && <span className="tone-warn"> · any certificate accepted</span>}
      </p>
      <p className="muted small">
        From {c.minSeverity}, grouped over {c.groupWindowSec} s, at most {c.maxPerHour} messages an hour
      </p>
      <p className="small" data-testid="channel-status">
        {s.queued > 0 ? <span className="tone-warn">{s.queued} waiting</span> : 'Nothing waiting'}
        {s.failed > 0 && <span className="tone-bad"> · {s.failed} given up</span>}
        {s.lastSentAt !== null && ` · last sent ${formatTime(s.lastSentAt)}`}
        {s.nextAttemptAt !== null && ` · next try ${formatTime(s.nextAttemptAt)}`}
      </p>
      {s.lastError && (
        <p className="small tone-bad" data-testid="channel-error">
          ✕ {s.lastError}
        </p>
      )}
      {c.kind === 'desktop' && <BrowserPermission />}
      {result && (
        <p className={`small ${result.ok ? 'tone-ok' : 'tone-bad'}`} role="status" data-testid="test-result">
          {result.ok ? '✓' : '✕'} {result.message} <span className="muted">({result.durationMs} ms)</span>
          {!result.ok && result.detail && <span className="muted"> — {result.detail}</span>}
        </p>
      )}
      {error && <p className="form-error">{error}</p>}
      <div className="actions">
        <button type="button" onClick={() => void test()} disabled={testing} data-testid="test-channel">
          {testing ? 'Sending…' : 'Send test notification'}
        </button>
        <button type="button" onClick={onEdit}>
          Edit
        </button>
        {(s.failed > 0 || s.nextAttemptAt !== null) && (
          <button
            type="button"
            onClick={() => void act(() => client.call('alerts.outbox.retry', { channelId: c.id }))}
          >
            Retry now
          </button>
        )}
        <button
          type="button"
          className="danger"
          onClick={() => {
            if (
              window.confirm(
                `Delete the channel “${c.name}”? Its secrets and waiting messages go too; rules stop naming it.`,
              )
            )
              void act(() => client.call('alerts.channels.remove', { id: c.id }));
          }}
        >
          Delete
        </button>
      </div>
    </article>
  );
}

/** In a browser, desktop notifications need the page's permission, asked for on a click. */
function BrowserPermission() {
  const client = useClient();
  const [permission, setPermission] = useState(() =>
    typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
  );
  if (window.hyperion) return null;
  if (permission === 'unsupported')
    return <p className="small muted">This browser cannot show notifications.</p>;
  if (permission === 'granted')
    return (
      <p className="small tone-ok">
        ✓ This browser shows Hyperion’s notifications while a Hyperion page is open.
      </p>
    );
  if (permission === 'denied')
    return (
      <p className="small tone-warn">
        This browser blocks Hyperion’s notifications: allow them in the site settings.
      </p>
    );
  return (
    <button
      type="button"
      onClick={() =>
        void Notification.requestPermission().then((p) => {
          setPermission(p);
          feedStore(client).refreshPermission();
        })
      }
    >
      Allow browser notifications
    </button>
  );
}

function SettingsPanel() {
  const client = useClient();
  const [settings, setSettings] = useState<AlertSettings>();
  const [link, setLink] = useState('');
  const [flap, setFlap] = useState('10');
  const [message, setMessage] = useState<string>();
  useOnConnected(
    useCallback((c: HyperionClient) => {
      c.call('alerts.settings', {}).then(
        (s) => {
          setSettings(s);
          setLink(s.linkBaseUrl);
          setFlap(String(s.flapWindowMin));
        },
        () => undefined,
      );
    }, []),
  );
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setSettings(
        await client.call('alerts.setSettings', { linkBaseUrl: link, flapWindowMin: Number(flap) }),
      );
      setMessage('Saved.');
    } catch (err) {
      const { byField, general } = fieldErrors(err);
      setMessage(general ?? Object.values(byField).join('; '));
    }
  };
  return (
    <Panel title="Alert settings" wide>
      <form className="form" onSubmit={save}>
        <label>
          Link in notifications{' '}
          <span className="muted">(where people open Hyperion; empty: the address serve answers on)</span>
          <input
            value={link}
            onChange={(e) => setLink(e.target.value)}
            placeholder="https://hyperion.example.org"
            name="linkBaseUrl"
          />
        </label>
        <label className="inline">
          An alert that fires again within{' '}
          <input
            className="narrow-input"
            value={flap}
            onChange={(e) => setFlap(e.target.value)}
            inputMode="numeric"
            aria-label="Flap window, minutes"
          />{' '}
          minutes of resolving is the same incident (flapping).
        </label>
        <div>
          <button type="submit" className="primary" disabled={!settings}>
            Save
          </button>
        </div>
        {message && <p role="status">{message}</p>}
      </form>
    </Panel>
  );
}
