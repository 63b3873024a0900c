// The rule editor: every field of a rule, checked by the core as it is typed (each problem shown
// beside its field, and what the rule would watch now), saved only when valid, and a backtest on
// the stored history before saving.
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import {
  alertMetricInfo,
  alertMetricNames,
  type AlertRule,
  type AlertRuleInput,
  type Comparison,
  type RuleValidation,
  type Severity,
} from '../../../../common/schemas/alerts';
import type { Channel } from '../../../../common/schemas/alert-channels';
import type { Host } from '../../../../common/schemas/hosts';
import { useClient } from '../../api/context';
import { Panel } from '../../components/Panel';
import { fieldErrors } from '../../lib/api-errors';
import { thresholdUnits } from './alert-format';
import { BacktestPanel } from './BacktestPanel';

interface Props {
  rule?: AlertRule;
  hosts: Host[];
  tags: string[];
  channels: Channel[];
  onClose: () => void;
  onSaved: () => void;
}

const GROUPS: [string, RegExp][] = [
  ['CPU', /^cpu\./],
  ['Load', /^load\./],
  ['Memory', /^mem\./],
  ['Swap', /^swap\./],
  ['Network', /^net\./],
  ['Disk space', /^fs\./],
  ['Disk I/O', /^disk\./],
  ['Temperature', /^temperature$/],
  ['Host', /^(host\.|uptime$)/],
];

const LABEL_HINTS: Record<string, string> = {
  mount: 'mount points, e.g. "/, /var/*, !/boot*" — empty: every filesystem',
  iface: 'interfaces, e.g. "eth*, ens*, !lo" — empty: every interface',
  core: 'cores by number, e.g. "0, 1" — empty: every core',
  device: 'devices, e.g. "sd*, nvme*" — empty: every device',
  sensor: 'sensors, e.g. "Package*" — empty: every sensor',
};

const TIME_UNITS: [string, number][] = [
  ['seconds', 1],
  ['minutes', 60],
  ['hours', 3600],
];

interface Draft {
  name: string;
  enabled: boolean;
  metric: string;
  transform: 'value' | 'rate';
  rateWindow: string;
  scopeKind: 'all' | 'tag' | 'host';
  tag: string;
  host: string;
  labels: string;
  comparison: Comparison;
  threshold: string;
  clear: string;
  factor: number;
  forValue: string;
  forUnit: number;
  clearForValue: string;
  clearForUnit: number;
  severity: Severity;
  channels: string[];
  description: string;
}

function bestTime(sec: number): [string, number] {
  if (sec > 0 && sec % 3600 === 0) return [String(sec / 3600), 3600];
  if (sec > 0 && sec % 60 === 0) return [String(sec / 60), 60];
  return [String(sec), 1];
}

function bestFactor(metric: string, transform: 'value' | 'rate', value: number): number {
  const units = thresholdUnits(metric, transform);
  return (
    units.find(([, f]) => f > 1 && Math.abs(value) >= f && Number.isInteger(value / f))?.[1] ??
    units.at(-1)![1]
  );
}

function draftOf(rule: AlertRule | undefined, channels: Channel[]): Draft {
  const metric = rule?.metric ?? 'cpu.usage';
  const transform = rule?.transform ?? 'value';
  const factor = rule
    ? bestFactor(metric, transform, rule.threshold)
    : thresholdUnits(metric, transform)[0]![1];
  const [forValue, forUnit] = bestTime(rule?.forSec ?? 300);
  const [clearForValue, clearForUnit] = bestTime(rule?.clearForSec ?? 0);
  return {
    name: rule?.name ?? '',
    enabled: rule?.enabled ?? true,
    metric,
    transform,
    rateWindow: String((rule?.rateWindowSec ?? 600) / 60),
    scopeKind: rule?.scope.kind ?? 'all',
    tag: rule?.scope.kind === 'tag' ? rule.scope.tag : '',
    host: rule?.scope.kind === 'host' ? rule.scope.host : '',
    labels: rule?.labels ?? '',
    comparison: rule?.comparison ?? '>=',
    threshold: rule ? String(rule.threshold / factor) : '90',
    clear:
      rule?.clearThreshold !== null && rule?.clearThreshold !== undefined
        ? String(rule.clearThreshold / factor)
        : '',
    factor,
    forValue,
    forUnit,
    clearForValue,
    clearForUnit,
    severity: rule?.severity ?? 'warning',
    channels: rule?.channels ?? channels.filter((c) => c.kind === 'desktop').map((c) => c.id),
    description: rule?.description ?? '',
  };
}

/** A typed number, or the text itself so that the core says what is wrong with it. */
function numberOr(text: string, factor = 1): number | string {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n * factor : text;
}

export function toRuleInput(d: Draft): AlertRuleInput {
  const info = alertMetricInfo(d.metric);
  const boolean = info?.unit === 'boolean';
  return {
    name: d.name,
    enabled: d.enabled,
    metric: d.metric,
    transform: boolean ? 'value' : d.transform,
    rateWindowSec: Math.round(Number(d.rateWindow) * 60) || 0,
    scope:
      d.scopeKind === 'all'
        ? { kind: 'all' }
        : d.scopeKind === 'tag'
          ? { kind: 'tag', tag: d.tag }
          : { kind: 'host', host: d.host },
    labels: info?.label ? d.labels : '',
    comparison: boolean ? '>=' : d.comparison,
    threshold: (boolean ? 1 : numberOr(d.threshold, d.factor)) as number,
    clearThreshold: (boolean || d.clear.trim() === '' ? null : numberOr(d.clear, d.factor)) as number | null,
    forSec: numberOr(d.forValue, d.forUnit) as number,
    clearForSec: numberOr(d.clearForValue, d.clearForUnit) as number,
    severity: d.severity,
    channels: d.channels,
    description: d.description,
  };
}

export function RuleEditor({ rule, hosts, tags, channels, onClose, onSaved }: Props) {
  const client = useClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(rule, channels));
  const [check, setCheck] = useState<RuleValidation>();
  const [saveErrors, setSaveErrors] = useState<{ byField: Record<string, string>; general?: string }>({
    byField: {},
  });
  const [saving, setSaving] = useState(false);
  const [backtesting, setBacktesting] = useState(false);
  const input = useMemo(() => toRuleInput(draft), [draft]);
  const info = alertMetricInfo(draft.metric);
  const boolean = info?.unit === 'boolean';
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  // Checked by the core as it is typed (a quarter of a second after the last key).
  useEffect(() => {
    const timer = setTimeout(() => {
      client.call('alerts.rules.validate', { rule: input }).then(setCheck, () => undefined);
    }, 250);
    return () => clearTimeout(timer);
  }, [client, input]);

  const issues: Record<string, string> = {};
  for (const i of check?.issues ?? []) issues[i.path] ??= i.message;
  // A failed save is the last word until the next edit.
  Object.assign(issues, saveErrors.byField);
  const err = (path: string): ReactNode =>
    issues[path] ? (
      <span className="field-error" role="alert" data-testid={`rule-error-${path}`}>
        {issues[path]}
      </span>
    ) : null;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    try {
      if (rule) await client.call('alerts.rules.update', { id: rule.id, rule: input });
      else await client.call('alerts.rules.create', input);
      onSaved();
    } catch (error) {
      const { byField, general } = fieldErrors(error);
      const stripped: Record<string, string> = {};
      for (const [path, message] of Object.entries(byField)) stripped[path.replace(/^rule\./, '')] = message;
      setSaveErrors({ byField: stripped, general });
    } finally {
      setSaving(false);
    }
  };
  useEffect(() => setSaveErrors({ byField: {} }), [draft]);

  const units = thresholdUnits(draft.metric, draft.transform);
  const metricOptions = GROUPS.map(([group, pattern]) => ({
    group,
    metrics: alertMetricNames().filter((m) => pattern.test(m)),
  }));

  return (
    <Panel title={rule ? `Edit “${rule.name}”` : 'New rule'} wide testId="rule-editor">
      <form className="form rule-form" onSubmit={save} noValidate>
        <div className="form-row">
          <label className="grow">
            Name
            <input
              value={draft.name}
              onChange={(e) => set('name', e.target.value)}
              name="name"
              placeholder="Disk almost full"
              autoFocus
            />
            {err('name')}
          </label>
          <label className="inline">
            <input
              type="checkbox"
              checked={draft.enabled}
              onChange={(e) => set('enabled', e.target.checked)}
              name="enabled"
            />{' '}
            enabled
          </label>
        </div>
        <fieldset>
          <legend>Watch</legend>
          <div className="form-row">
            <label className="grow">
              Metric
              <select
                value={draft.metric}
                onChange={(e) => {
                  const metric = e.target.value;
                  setDraft((d) => ({
                    ...d,
                    metric,
                    labels: '',
                    factor: thresholdUnits(metric, d.transform)[0]![1],
                  }));
                }}
                name="metric"
              >
                {metricOptions.map(({ group, metrics }) => (
                  <optgroup key={group} label={group}>
                    {metrics.map((m) => {
                      const mi = alertMetricInfo(m)!;
                      return (
                        <option key={m} value={m}>
                          {mi.title}
                          {mi.label ? ` (per ${mi.label})` : ''} — {m}
                        </option>
                      );
                    })}
                  </optgroup>
                ))}
              </select>
              {err('metric')}
            </label>
            {!boolean && (
              <label>
                As
                <select
                  value={draft.transform}
                  onChange={(e) => set('transform', e.target.value as 'value' | 'rate')}
                  name="transform"
                >
                  <option value="value">its value</option>
                  <option value="rate">how fast it changes (per second)</option>
                </select>
                {err('transform')}
              </label>
            )}
            {draft.transform === 'rate' && !boolean && (
              <label className="narrow">
                over (min)
                <input
                  value={draft.rateWindow}
                  onChange={(e) => set('rateWindow', e.target.value)}
                  inputMode="decimal"
                  name="rateWindow"
                />
                {err('rateWindowSec')}
              </label>
            )}
          </div>
          <div className="form-row">
            <label>
              On
              <select
                value={draft.scopeKind}
                onChange={(e) => set('scopeKind', e.target.value as Draft['scopeKind'])}
                name="scope"
              >
                <option value="all">every host</option>
                <option value="tag">hosts with a tag</option>
                <option value="host">one host</option>
              </select>
            </label>
            {draft.scopeKind === 'tag' && (
              <label className="grow">
                Tag
                <input
                  value={draft.tag}
                  onChange={(e) => set('tag', e.target.value)}
                  list="rule-tags"
                  name="tag"
                />
                <datalist id="rule-tags">
                  {tags.map((t) => (
                    <option key={t} value={t} />
                  ))}
                </datalist>
                {err('scope.tag')}
              </label>
            )}
            {draft.scopeKind === 'host' && (
              <label className="grow">
                Host
                <select value={draft.host} onChange={(e) => set('host', e.target.value)} name="host">
                  <option value="">Choose…</option>
                  <option value="local">This computer</option>
                  {hosts.map((h) => (
                    <option key={h.id} value={h.id}>
                      {h.name}
                    </option>
                  ))}
                </select>
                {err('scope.host')}
              </label>
            )}
          </div>
          {info?.label && (
            <label>
              Which {info.label === 'iface' ? 'interfaces' : `${info.label}s`}{' '}
              <span className="muted">({LABEL_HINTS[info.label]})</span>
              <input value={draft.labels} onChange={(e) => set('labels', e.target.value)} name="labels" />
              {err('labels')}
            </label>
          )}
          {check?.ok && (
            <p className="muted small" data-testid="rule-matches">
              Watches {check.matches.series} series on {check.matches.hosts} host
              {check.matches.hosts === 1 ? '' : 's'} now
              {check.matches.examples.length > 0 &&
                ` (${check.matches.examples.join(', ')}${check.matches.series > check.matches.examples.length ? ', …' : ''})`}
              .
            </p>
          )}
        </fieldset>
        <fieldset>
          <legend>Fire when</legend>
          {boolean ? (
            <p>the host cannot be reached over SSH</p>
          ) : (
            <div className="form-row">
              <label>
                it is
                <select
                  value={draft.comparison}
                  onChange={(e) => set('comparison', e.target.value as Comparison)}
                  name="comparison"
                >
                  <option value=">=">at or above (≥)</option>
                  <option value=">">above (&gt;)</option>
                  <option value="<=">at or below (≤)</option>
                  <option value="<">below (&lt;)</option>
                </select>
              </label>
              <label className="narrow">
                threshold
                <input
                  value={draft.threshold}
                  onChange={(e) => set('threshold', e.target.value)}
                  inputMode="decimal"
                  name="threshold"
                />
                {err('threshold')}
              </label>
              <label>
                unit
                <select
                  value={draft.factor}
                  onChange={(e) => set('factor', Number(e.target.value))}
                  name="unit"
                >
                  {units.map(([label, f]) => (
                    <option key={label} value={f}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          )}
          <DurationField
            label="for"
            name="for"
            value={draft.forValue}
            unit={draft.forUnit}
            onValue={(v) => set('forValue', v)}
            onUnit={(u) => set('forUnit', u)}
            unitLabel="Unit of the duration"
            error={err('forSec')}
          />
        </fieldset>
        {!boolean && (
          <fieldset>
            <legend>Resolve when</legend>
            <div className="form-row">
              <label className="narrow">
                it gets past
                <input
                  value={draft.clear}
                  onChange={(e) => set('clear', e.target.value)}
                  inputMode="decimal"
                  name="clearThreshold"
                  placeholder={draft.threshold}
                />
                {err('clearThreshold')}
              </label>
              <span className="muted small">
                {units.find(([, f]) => f === draft.factor)?.[0]} — a separate clear threshold keeps a value
                hovering at the threshold from flapping
              </span>
            </div>
            <DurationField
              label="and stays there for"
              name="clearFor"
              value={draft.clearForValue}
              unit={draft.clearForUnit}
              onValue={(v) => set('clearForValue', v)}
              onUnit={(u) => set('clearForUnit', u)}
              unitLabel="Unit of the clear duration"
              error={err('clearForSec')}
            />
          </fieldset>
        )}
        <fieldset>
          <legend>Then</legend>
          <label>
            Severity
            <select
              value={draft.severity}
              onChange={(e) => set('severity', e.target.value as Severity)}
              name="severity"
            >
              <option value="critical">Critical</option>
              <option value="warning">Warning</option>
              <option value="info">Info</option>
            </select>
          </label>
          <div>
            Notify
            {channels.length === 0 && (
              <span className="muted small">
                {' '}
                — no channel yet: add one under Channels (alerts are still recorded)
              </span>
            )}
            {channels.map((c) => (
              <label key={c.id} className="inline">
                <input
                  type="checkbox"
                  checked={draft.channels.includes(c.id)}
                  onChange={(e) =>
                    set(
                      'channels',
                      e.target.checked ? [...draft.channels, c.id] : draft.channels.filter((x) => x !== c.id),
                    )
                  }
                  name={`channel-${c.id}`}
                />{' '}
                {c.name} <span className="muted small">({c.kind})</span>
              </label>
            ))}
            {err('channels')}
            {Object.entries(issues)
              .filter(([p]) => p.startsWith('channels.'))
              .map(([p, m]) => (
                <span key={p} className="field-error">
                  {m}
                </span>
              ))}
          </div>
          <label>
            Description{' '}
            <span className="muted">
              (in notifications; {'{host}'}, {'{value}'}, {'{threshold}'}, {'{label}'}, {'{rule}'} are filled
              in)
            </span>
            <textarea
              value={draft.description}
              onChange={(e) => set('description', e.target.value)}
              name="description"
              rows={2}
              maxLength={1000}
              placeholder="{label} on {host} is {value} full"
            />
            {err('description')}
          </label>
        </fieldset>
        {saveErrors.general && (
          <p className="form-error" role="alert">
            {saveErrors.general}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            onClick={() => setBacktesting(true)}
            disabled={check !== undefined && !check.ok}
            data-testid="backtest"
          >
            Backtest on the last 7 days
          </button>
          <button type="submit" className="primary" disabled={saving} data-testid="save-rule">
            {saving ? 'Saving…' : rule ? 'Save' : 'Add rule'}
          </button>
        </div>
      </form>
      {backtesting && <BacktestPanel rule={input} />}
    </Panel>
  );
}

/** A duration: a number and its unit (seconds, minutes, hours). */
function DurationField(props: {
  label: string;
  name: string;
  value: string;
  unit: number;
  onValue: (value: string) => void;
  onUnit: (factor: number) => void;
  unitLabel: string;
  error: ReactNode;
}) {
  return (
    <div className="form-row">
      <label className="narrow">
        {props.label}
        <input
          value={props.value}
          onChange={(e) => props.onValue(e.target.value)}
          inputMode="numeric"
          name={props.name}
        />
        {props.error}
      </label>
      <label>
        &nbsp;
        <select
          value={props.unit}
          onChange={(e) => props.onUnit(Number(e.target.value))}
          aria-label={props.unitLabel}
        >
          {TIME_UNITS.map(([label, f]) => (
            <option key={label} value={f}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
