// The alert rules: built-in ones first, each with what it watches and its condition; enable or
// disable in place, edit (with validation and a backtest), reset a built-in, delete your own.
import { useCallback, useState } from 'react';
import { alertMetricInfo, type AlertRule } from '../../../../common/schemas/alerts';
import type { Host } from '../../../../common/schemas/hosts';
import type { Channel } from '../../../../common/schemas/alert-channels';
import type { HyperionClient } from '../../api/client';
import { useClient, useOnConnected } from '../../api/context';
import { EmptyState, Panel } from '../../components/Panel';
import { COMPARISON_WORDS, formatAlertValue, formatDuration } from './alert-format';
import { RuleEditor } from './RuleEditor';
import { SeverityBadge } from './SeverityBadge';

export function RulesView({ hosts, tags }: { hosts: Host[]; tags: string[] }) {
  const client = useClient();
  const [rules, setRules] = useState<AlertRule[]>([]);
  const [channels, setChannels] = useState<Channel[]>([]);
  const [editing, setEditing] = useState<AlertRule | 'new'>();
  const [error, setError] = useState<string>();
  const load = useCallback((c: HyperionClient) => {
    c.call('alerts.rules.list', {}).then(setRules, (err: Error) => setError(err.message));
    c.call('alerts.channels.list', {}).then(setChannels, () => undefined);
  }, []);
  useOnConnected(load);

  const run = async (call: () => Promise<unknown>) => {
    try {
      await call();
      setError(undefined);
      load(client);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const toggle = (r: AlertRule) => {
    const { id, builtin: _b, createdAt: _c, updatedAt: _u, ...body } = r;
    return run(() => client.call('alerts.rules.update', { id, rule: { ...body, enabled: !r.enabled } }));
  };
  const scopeText = (r: AlertRule) =>
    r.scope.kind === 'all'
      ? 'every host'
      : r.scope.kind === 'tag'
        ? `hosts tagged “${r.scope.tag}”`
        : (hosts.find((h) => r.scope.kind === 'host' && h.id === r.scope.host)?.name ??
          (r.scope.host === 'local' ? 'this computer' : r.scope.host));

  if (editing) {
    return (
      <RuleEditor
        rule={editing === 'new' ? undefined : editing}
        hosts={hosts}
        tags={tags}
        channels={channels}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          load(client);
        }}
      />
    );
  }
  return (
    <Panel title="Rules" wide testId="rules">
      <div className="actions">
        <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="new-rule">
          New rule
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {rules.length === 0 ? (
        <EmptyState title="No rules yet" />
      ) : (
        <table className="compact-table alerts-table">
          <thead>
            <tr>
              <th>On</th>
              <th>Rule</th>
              <th>Condition</th>
              <th>Watches</th>
              <th>Severity</th>
              <th>Notifies</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => {
              const info = alertMetricInfo(r.metric);
              return (
                <tr key={r.id} data-testid={`rule-${r.id}`} className={r.enabled ? undefined : 'disabled'}>
                  <td>
                    <input
                      type="checkbox"
                      checked={r.enabled}
                      onChange={() => void toggle(r)}
                      aria-label={`${r.enabled ? 'Disable' : 'Enable'} ${r.name}`}
                    />
                  </td>
                  <td>
                    <strong>{r.name}</strong>
                    {r.builtin && <span className="tag">built-in</span>}
                    {r.description && <div className="muted small">{r.description}</div>}
                  </td>
                  <td>
                    {info?.title ?? r.metric}
                    {r.transform === 'rate' && ' (rate)'}{' '}
                    {info?.unit === 'boolean'
                      ? ''
                      : `${COMPARISON_WORDS[r.comparison]} ${formatAlertValue(r.metric, r.threshold, r.transform)}`}
                    {r.forSec > 0 && ` for ${formatDuration(r.forSec * 1000)}`}
                    {r.clearThreshold !== null && r.clearThreshold !== r.threshold && (
                      <div className="muted small">
                        clears past {formatAlertValue(r.metric, r.clearThreshold, r.transform)}
                      </div>
                    )}
                  </td>
                  <td>
                    {scopeText(r)}
                    {r.labels && <div className="muted small">{r.labels}</div>}
                  </td>
                  <td>
                    <SeverityBadge severity={r.severity} />
                  </td>
                  <td className="small">
                    {r.channels.length === 0 ? (
                      <span className="muted">nobody (history only)</span>
                    ) : (
                      r.channels.map((id) => channels.find((c) => c.id === id)?.name ?? id).join(', ')
                    )}
                  </td>
                  <td className="alert-actions">
                    <button type="button" onClick={() => setEditing(r)} data-testid={`edit-rule-${r.id}`}>
                      Edit
                    </button>
                    {r.builtin ? (
                      <button
                        type="button"
                        onClick={() => void run(() => client.call('alerts.rules.reset', { id: r.id }))}
                      >
                        Reset
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="danger"
                        onClick={() => {
                          if (
                            window.confirm(
                              `Delete the rule “${r.name}”? Its open alerts resolve; its history stays.`,
                            )
                          )
                            void run(() => client.call('alerts.rules.remove', { id: r.id }));
                        }}
                      >
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
