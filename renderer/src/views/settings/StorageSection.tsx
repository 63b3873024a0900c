// The history database: its size per tier and per host, the oldest samples, whether writing works,
// how long each tier keeps data, and "compact now".
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { StorageStats, StoreStatus } from '../../../../common/schemas/history';
import type { HyperionClient } from '../../api/client';
import { useClient, useOnConnected } from '../../api/context';
import { Panel } from '../../components/Panel';
import { formatBytes } from '../../lib/format';

const when = (t: number | null): string => (t === null ? '–' : new Date(t).toLocaleString());

export function StorageSection({ hostNames }: { hostNames: ReadonlyMap<string, string> }) {
  const client = useClient();
  const [stats, setStats] = useState<StorageStats>();
  const [status, setStatus] = useState<StoreStatus>();
  const [form, setForm] = useState({ rawHours: '', minuteDays: '', hourDays: '' });
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);

  const show = (s: StorageStats) => {
    setStats(s);
    setForm({
      rawHours: String(s.retention.rawHours),
      minuteDays: String(s.retention.minuteDays),
      hourDays: String(s.retention.hourDays),
    });
  };
  useOnConnected(
    useCallback(
      (c: HyperionClient) => void c.call('storage.stats', {}).then(show, (e: Error) => setMessage(e.message)),
      [],
    ),
  );
  useEffect(() => client.subscribe('storage.status', {}, { onEvent: setStatus }), [client]);

  const saveRetention = async (event: FormEvent) => {
    event.preventDefault();
    const value = {
      rawHours: Number(form.rawHours),
      minuteDays: Number(form.minuteDays),
      hourDays: Number(form.hourDays),
    };
    if (!Object.values(value).every((v) => Number.isInteger(v) && v > 0)) {
      setMessage('Retention is a whole number of hours or days, at least 1.');
      return;
    }
    setBusy(true);
    try {
      show(await client.call('storage.setRetention', value));
      setMessage('Retention saved; older samples were deleted.');
    } catch (err) {
      setMessage((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const compact = async () => {
    setBusy(true);
    setMessage('Compacting… (this rewrites the database file)');
    try {
      show(await client.call('storage.compact', {}));
      setMessage('Compacted.');
    } catch (err) {
      setMessage((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel title="History storage" wide testId="storage-section">
      {status && (
        <p
          className={status.state === 'ok' ? 'muted' : 'form-error'}
          role="status"
          data-testid="store-status"
        >
          <strong>
            {status.state === 'ok'
              ? 'Storing'
              : status.state === 'full'
                ? 'Storage full'
                : status.state === 'behind'
                  ? 'Falling behind'
                  : 'Storage error'}
            :
          </strong>{' '}
          {status.message}
        </p>
      )}
      {!stats ? (
        <p className="muted">Reading the database…</p>
      ) : (
        <>
          <p className="small muted">
            {stats.path} · {formatBytes(stats.fileBytes + stats.walBytes)} on disk
            {stats.freeBytes !== null && ` · ${formatBytes(stats.freeBytes)} free on that file system`}
          </p>
          <div className="panel-grid">
            <table className="compact-table" data-testid="storage-tiers">
              <thead>
                <tr>
                  <th>Tier</th>
                  <th className="num">Rows</th>
                  <th className="num">Size (est.)</th>
                  <th>Oldest sample</th>
                </tr>
              </thead>
              <tbody>
                {stats.tiers.map((t) => (
                  <tr key={t.tier}>
                    <td>
                      {t.tier === 'raw'
                        ? 'Raw samples'
                        : t.tier === '1m'
                          ? '1-minute averages'
                          : '1-hour averages'}
                    </td>
                    <td className="num">{t.rows.toLocaleString()}</td>
                    <td className="num">{formatBytes(t.bytes)}</td>
                    <td>{when(t.oldest)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="compact-table" data-testid="storage-hosts">
              <thead>
                <tr>
                  <th>Host</th>
                  <th className="num">Series</th>
                  <th className="num">Size (est.)</th>
                  <th>Oldest sample</th>
                </tr>
              </thead>
              <tbody>
                {stats.hosts.map((h) => (
                  <tr key={h.host}>
                    <td>
                      {h.host === 'local'
                        ? 'This computer'
                        : (hostNames.get(h.host) ?? `${h.host} (removed)`)}
                    </td>
                    <td className="num">{h.series}</td>
                    <td className="num">{formatBytes(h.estimatedBytes)}</td>
                    <td>{when(h.oldest)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <form className="form retention" onSubmit={saveRetention}>
            <label className="inline">
              Keep raw samples for{' '}
              <input
                className="narrow-input"
                value={form.rawHours}
                onChange={(e) => setForm({ ...form, rawHours: e.target.value })}
                aria-label="Raw retention, hours"
              />{' '}
              hours
            </label>
            <label className="inline">
              1-minute averages for{' '}
              <input
                className="narrow-input"
                value={form.minuteDays}
                onChange={(e) => setForm({ ...form, minuteDays: e.target.value })}
                aria-label="1-minute retention, days"
              />{' '}
              days
            </label>
            <label className="inline">
              1-hour averages for{' '}
              <input
                className="narrow-input"
                value={form.hourDays}
                onChange={(e) => setForm({ ...form, hourDays: e.target.value })}
                aria-label="1-hour retention, days"
              />{' '}
              days
            </label>
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                Save retention
              </button>
              <button type="button" onClick={() => void compact()} disabled={busy} data-testid="compact-now">
                Compact now
              </button>
            </div>
          </form>
        </>
      )}
      {message && <p role="status">{message}</p>}
    </Panel>
  );
}
