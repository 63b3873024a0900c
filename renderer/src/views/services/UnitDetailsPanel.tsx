// One unit: state, figures and dependencies; start/stop/restart/reload/enable/disable confirmed in
// a dialog; the unit file and drop-ins; and Hyperion's override, applied only after its diff.
import { useCallback, useEffect, useState } from 'react';
import type { UnitActionResult, UnitDetails, UnitFiles } from '../../../../common/schemas/services';
import { useClient } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { hostHref } from '../../hooks/useHashRoute';
import { formatBytes } from '../../lib/format';
import { OverrideEditor } from './OverrideEditor';
import { activeTone } from './service-rows';

type Verb = 'start' | 'stop' | 'restart' | 'reload' | 'enable' | 'disable';

const VERBS: { verb: Verb; label: string; danger?: boolean }[] = [
  { verb: 'start', label: 'Start' },
  { verb: 'stop', label: 'Stop', danger: true },
  { verb: 'restart', label: 'Restart', danger: true },
  { verb: 'reload', label: 'Reload' },
  { verb: 'enable', label: 'Enable' },
  { verb: 'disable', label: 'Disable', danger: true },
];

/** "12 s", "5 min", "3 h", "2 d": a span in words short enough for a line of facts. */
function span(ms: number): string {
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  return s < 120
    ? `${s} s`
    : s < 7200
      ? `${Math.round(s / 60)} min`
      : s < 172_800
        ? `${Math.round(s / 3600)} h`
        : `${Math.round(s / 86400)} d`;
}

function since(ts: number | null): string {
  if (ts === null) return '';
  return `since ${new Date(ts).toLocaleString()} (${span(Date.now() - ts)} ago)`;
}

/** A timer's next or last elapse: the time and how far off it is. */
function when(ts: number | null, none: string): string {
  if (ts === null) return none;
  const delta = ts - Date.now();
  return `${new Date(ts).toLocaleString()} (${delta >= 0 ? `in ${span(delta)}` : `${span(delta)} ago`})`;
}

export function UnitDetailsPanel(props: {
  hostId: string;
  hostLabel: string;
  unit: string;
  onChanged: () => void;
}) {
  const { hostId, hostLabel, unit } = props;
  const client = useClient();
  const [details, setDetails] = useState<UnitDetails>();
  const [files, setFiles] = useState<UnitFiles>();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState<Verb>();
  const [withNow, setWithNow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const [showProps, setShowProps] = useState(false);

  const load = useCallback(() => {
    client
      .call('services.details', { host: hostId, unit })
      .then(setDetails, (err: Error) => setError(err.message));
    client.call('services.files', { host: hostId, unit }).then(setFiles, () => undefined);
  }, [client, hostId, unit]);
  useEffect(load, [load]);

  const act = async (verb: Verb) => {
    setBusy(true);
    try {
      let done: UnitActionResult;
      if (verb === 'enable' || verb === 'disable') {
        done = await client.call(verb === 'enable' ? 'services.enable' : 'services.disable', {
          host: hostId,
          unit,
          now: withNow,
        });
      } else {
        const method = `services.${verb}` as const;
        done = await client.call(method, { host: hostId, unit });
      }
      setResult({ ok: true, text: done.message });
    } catch (err) {
      setResult({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
      setPending(undefined);
      load();
      props.onChanged();
    }
  };

  if (error && !details) {
    return (
      <p className="form-error" role="alert">
        {error}
      </p>
    );
  }
  if (!details) return <p className="muted">Reading {unit}…</p>;
  const d = details;
  const deps: [string, string[]][] = [
    ['Requires', d.dependencies.requires],
    ['Wants', d.dependencies.wants],
    ['After', d.dependencies.after],
    ['Before', d.dependencies.before],
    ['Wanted by', d.dependencies.wantedBy],
    ['Required by', d.dependencies.requiredBy],
    ['Conflicts', d.dependencies.conflicts],
  ];
  const isTimer = d.name.endsWith('.timer');
  const unitLinks = (names: string[]) =>
    names.map((name, i) => (
      <span key={name}>
        {i > 0 && ' '}
        <a href={hostHref(hostId, 'services', { unit: name })}>{name}</a>
      </span>
    ));
  const enableVerb = pending === 'enable' || pending === 'disable';
  return (
    <div className="svc-details" data-testid="service-details">
      <header className="svc-details-header">
        <div>
          <h2>{d.name}</h2>
          <p className="muted">{d.description}</p>
        </div>
        <a className="link-button" href={hostHref(hostId, 'logs', { unit })} data-testid="service-logs-link">
          Journal →
        </a>
      </header>
      <p data-testid="service-state">
        <span className={activeTone(d.active)}>
          {d.active} ({d.sub})
        </span>{' '}
        <span className="muted">{since(d.activeSince)}</span> ·{' '}
        <span data-testid="service-enabled">{d.enabled ?? 'no unit file'}</span>
        {d.result && d.result !== 'success' && <span className="tone-bad"> · last result: {d.result}</span>}
      </p>
      <div className="svc-actions" role="group" aria-label="Actions">
        {VERBS.map((v) => (
          <button
            key={v.verb}
            type="button"
            className={v.danger ? 'danger' : undefined}
            disabled={
              busy ||
              (v.verb === 'reload' && !d.canReload) ||
              (v.verb === 'start' && !d.canStart) ||
              (v.verb === 'stop' && !d.canStop)
            }
            onClick={() => {
              setWithNow(false);
              setPending(v.verb);
            }}
            data-testid={`service-${v.verb}`}
          >
            {v.label}…
          </button>
        ))}
      </div>
      {result && (
        <p
          className={result.ok ? 'tone-ok' : 'form-error'}
          role={result.ok ? 'status' : 'alert'}
          data-testid="service-result"
        >
          {result.text}
        </p>
      )}
      <dl className="facts svc-facts">
        {d.dependencies.triggers.length > 0 && (
          <>
            <dt>Starts</dt>
            <dd data-testid="service-triggers">{unitLinks(d.dependencies.triggers)}</dd>
          </>
        )}
        {d.dependencies.triggeredBy.length > 0 && (
          <>
            <dt>Started by</dt>
            <dd data-testid="service-triggered-by">{unitLinks(d.dependencies.triggeredBy)}</dd>
          </>
        )}
        {isTimer && (
          <>
            <dt>Next run</dt>
            <dd data-testid="timer-next">{when(d.nextElapseAt, 'not scheduled')}</dd>
            <dt>Last run</dt>
            <dd data-testid="timer-last">{when(d.lastTriggerAt, 'never')}</dd>
          </>
        )}
        <dt>Main PID</dt>
        <dd data-testid="service-main-pid">
          {d.mainPid === null ? '–' : <a href={hostHref(hostId, 'processes')}>{d.mainPid}</a>}
        </dd>
        <dt>Memory</dt>
        <dd>{d.memoryBytes === null ? 'not reported' : formatBytes(d.memoryBytes)}</dd>
        <dt>CPU time</dt>
        <dd>{d.cpuNs === null ? 'not reported' : `${(d.cpuNs / 1e9).toFixed(d.cpuNs < 1e10 ? 2 : 0)} s`}</dd>
        <dt>Tasks</dt>
        <dd>{d.tasks ?? 'not reported'}</dd>
        <dt>Restarts</dt>
        <dd>{d.restarts ?? '–'}</dd>
        <dt>Unit file</dt>
        <dd>
          <code>{d.fragmentPath ?? '–'}</code>
        </dd>
      </dl>
      <details className="svc-deps">
        <summary>Dependencies</summary>
        <dl className="facts">
          {deps.map(([label, list]) => (
            <div key={label} className="svc-dep-row">
              <dt>{label}</dt>
              <dd>{list.length ? list.join(' ') : '–'}</dd>
            </div>
          ))}
        </dl>
      </details>
      <details className="svc-files" open data-testid="service-files">
        <summary>Files (systemctl cat)</summary>
        {files?.files.map((f) => (
          <div key={f.path} className="svc-file">
            <div className="muted small">
              {f.path}
              {f.dropIn && <span className="tag">drop-in</span>}
            </div>
            <pre>{f.content}</pre>
          </div>
        ))}
        {files && files.files.length === 0 && <p className="muted">No unit file.</p>}
      </details>
      {files && (
        <OverrideEditor
          hostId={hostId}
          hostLabel={hostLabel}
          unit={unit}
          files={files}
          onApplied={(text) => {
            setResult({ ok: true, text });
            load();
            props.onChanged();
          }}
        />
      )}
      <details onToggle={(e) => setShowProps(e.currentTarget.open)}>
        <summary>All properties</summary>
        {showProps && (
          <table className="compact-table svc-props">
            <tbody>
              {Object.entries(d.properties).map(([k, v]) => (
                <tr key={k}>
                  <th>{k}</th>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
      {pending && (
        <Dialog
          title={`${VERBS.find((v) => v.verb === pending)!.label} ${unit} on ${hostLabel}?`}
          onClose={() => setPending(undefined)}
          testId="service-confirm"
        >
          <p>
            {pending === 'stop' && `${unit} and everything that needs it stop.`}
            {pending === 'restart' && `${unit} stops and starts again: its clients lose their connections.`}
            {pending === 'start' && `systemd starts ${unit}.`}
            {pending === 'reload' && `${unit} re-reads its configuration without stopping.`}
            {pending === 'enable' && `${unit} will start at boot.`}
            {pending === 'disable' && `${unit} will no longer start at boot.`}
          </p>
          {enableVerb && (
            <label className="toggle">
              <input
                type="checkbox"
                checked={withNow}
                onChange={(e) => setWithNow(e.target.checked)}
                data-testid="service-now"
              />{' '}
              {pending === 'enable' ? 'and start it now (--now)' : 'and stop it now (--now)'}
            </label>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={() => setPending(undefined)} disabled={busy}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => void act(pending)}
              disabled={busy}
              data-testid="service-confirm-button"
            >
              {busy ? 'Working…' : VERBS.find((v) => v.verb === pending)!.label}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
