// Silence the alerts of a rule, a host or a tag until a time, for a reason people will read.
import { useState, type FormEvent } from 'react';
import type { ActiveAlert, SilenceMatcher } from '../../../../common/schemas/alerts';
import { useClient } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { fieldErrors, type FieldErrors } from '../../lib/api-errors';

const PRESETS: [string, number][] = [
  ['1 hour', 3_600_000],
  ['4 hours', 4 * 3_600_000],
  ['24 hours', 24 * 3_600_000],
  ['7 days', 7 * 24 * 3_600_000],
];

function localInput(ts: number): string {
  const d = new Date(ts);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function SilenceDialog({
  alert,
  tags,
  onClose,
  onSaved,
}: {
  /** Prefills the rule and host of this alert; absent: a new silence from scratch. */
  alert?: ActiveAlert;
  tags: string[];
  onClose: () => void;
  onSaved?: () => void;
}) {
  const client = useClient();
  const [kind, setKind] = useState<SilenceMatcher['kind']>(alert ? 'host' : 'tag');
  const [tag, setTag] = useState(tags[0] ?? '');
  const [host, setHost] = useState(alert?.host ?? '');
  const ruleId = alert?.ruleId ?? '';
  const [until, setUntil] = useState(localInput(Date.now() + 3_600_000));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({ byField: {}, general: undefined });
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    const matcher: SilenceMatcher =
      kind === 'rule' ? { kind, ruleId } : kind === 'host' ? { kind, host } : { kind, tag };
    try {
      await client.call('alerts.silences.create', { matcher, until: new Date(until).getTime() || 0, reason });
      onSaved?.();
      onClose();
    } catch (err) {
      setErrors(fieldErrors(err));
    } finally {
      setSaving(false);
    }
  };
  const err = (path: string) =>
    errors.byField[path] ? (
      <span className="field-error" role="alert" data-testid={`error-${path}`}>
        {errors.byField[path]}
      </span>
    ) : null;

  return (
    <Dialog title="Silence alerts" onClose={onClose} testId="silence-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <fieldset>
          <legend>Keep quiet</legend>
          {alert && (
            <>
              <label className="radio">
                <input type="radio" name="kind" checked={kind === 'host'} onChange={() => setKind('host')} />
                every alert of {alert.hostName}
              </label>
              <label className="radio">
                <input type="radio" name="kind" checked={kind === 'rule'} onChange={() => setKind('rule')} />“
                {alert.ruleName}” on every host
              </label>
            </>
          )}
          {!alert && (
            <>
              <label className="radio">
                <input type="radio" name="kind" checked={kind === 'host'} onChange={() => setKind('host')} />a
                host
              </label>
              {kind === 'host' && (
                <input
                  value={host}
                  onChange={(e) => setHost(e.target.value)}
                  placeholder="host id, e.g. web-1"
                  aria-label="Host id"
                />
              )}
            </>
          )}
          <label className="radio">
            <input
              type="radio"
              name="kind"
              checked={kind === 'tag'}
              onChange={() => setKind('tag')}
              disabled={tags.length === 0}
            />
            every host tagged
          </label>
          {kind === 'tag' && (
            <select value={tag} onChange={(e) => setTag(e.target.value)} aria-label="Tag">
              {tags.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
          {err('matcher.host')}
          {err('matcher.tag')}
          {err('matcher.ruleId')}
        </fieldset>
        <label>
          Until
          <div className="form-row">
            <input
              type="datetime-local"
              value={until}
              onChange={(e) => setUntil(e.target.value)}
              name="until"
            />
            {PRESETS.map(([label, ms]) => (
              <button
                key={label}
                type="button"
                className="link-button"
                onClick={() => setUntil(localInput(Date.now() + ms))}
              >
                {label}
              </button>
            ))}
          </div>
          {err('until')}
        </label>
        <label>
          Reason <span className="muted">(shown to everyone who sees these alerts)</span>
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            name="reason"
            placeholder="Disk replacement on the RAID"
            maxLength={500}
            autoFocus
          />
          {err('reason')}
        </label>
        <p className="muted small">
          Silenced alerts are still evaluated and recorded; only their notifications wait. If one still fires
          when the silence ends, it is sent then.
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
          <button type="submit" className="primary" disabled={saving} data-testid="silence-save">
            Silence
          </button>
        </div>
      </form>
    </Dialog>
  );
}
