// The alerts firing or pending now, from one alerts.changed subscription for the whole app: the
// fleet's badges and counts, and a host's "active alerts" read it.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ActiveAlert, AlertCounts, AlertRule } from '../../../common/schemas/alerts';
import { useClient } from '../api/context';
import { ruleThresholds, type Threshold } from '../lib/thresholds';

export interface ActiveAlerts {
  /** Every active alert, by key. */
  alerts: ReadonlyMap<string, ActiveAlert>;
  counts: AlertCounts | undefined;
  /** False until the first snapshot, or when the core refused the stream. */
  available: boolean;
  error: string | undefined;
}

export interface HostAlertCounts {
  critical: number;
  warning: number;
  info: number;
  pending: number;
}

const EMPTY: ActiveAlerts = {
  alerts: new Map(),
  counts: undefined,
  available: false,
  error: undefined,
};
/** Rules change rarely (and from the alerts page): read again every minute. */
const RULES_REFRESH_MS = 60_000;
const Context = createContext<ActiveAlerts>(EMPTY);
/** Apart from the alerts: charts drawing thresholds must not redraw each time a value moves. */
const RulesContext = createContext<readonly AlertRule[]>([]);

export function ActiveAlertsProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [state, setState] = useState<ActiveAlerts>(EMPTY);
  const [rules, setRules] = useState<readonly AlertRule[]>([]);
  useEffect(
    () =>
      client.subscribe(
        'alerts.changed',
        { desktopNotifications: false },
        {
          onEvent: (event) =>
            setState((s) => {
              const alerts = new Map(event.snapshot ? [] : s.alerts);
              for (const a of event.alerts) alerts.set(a.key, a);
              for (const k of event.removed) alerts.delete(k);
              return { alerts, counts: event.counts, available: true, error: undefined };
            }),
          onError: (err) => setState((s) => ({ ...s, available: false, error: err.message })),
        },
      ),
    [client],
  );
  useEffect(() => {
    let cancelled = false;
    const load = () =>
      client.call('alerts.rules.list', {}).then(
        (list) => !cancelled && setRules(list),
        () => undefined,
      );
    if (client.state === 'open') void load();
    const offState = client.onState((st) => {
      if (st === 'open') void load();
    });
    const timer = setInterval(() => void load(), RULES_REFRESH_MS);
    return () => {
      cancelled = true;
      offState();
      clearInterval(timer);
    };
  }, [client]);
  return (
    <RulesContext.Provider value={rules}>
      <Context.Provider value={state}>{children}</Context.Provider>
    </RulesContext.Provider>
  );
}

export const useActiveAlerts = (): ActiveAlerts => useContext(Context);

/** Firing alerts per host by severity (pending ones counted apart: not yet confirmed). */
export function alertsByHost(alerts: ReadonlyMap<string, ActiveAlert>): Map<string, HostAlertCounts> {
  const out = new Map<string, HostAlertCounts>();
  for (const a of alerts.values()) {
    const c = out.get(a.host) ?? { critical: 0, warning: 0, info: 0, pending: 0 };
    if (a.state === 'pending') c.pending++;
    else c[a.severity]++;
    out.set(a.host, c);
  }
  return out;
}

export function useHostAlerts(hostId: string): ActiveAlert[] {
  const { alerts } = useActiveAlerts();
  return useMemo(
    () =>
      [...alerts.values()]
        .filter((a) => a.host === hostId)
        .sort(
          (a, b) =>
            (a.state === b.state ? 0 : a.state === 'firing' ? -1 : 1) ||
            rank(b.severity) - rank(a.severity) ||
            a.since - b.since,
        ),
    [alerts, hostId],
  );
}

const rank = (s: ActiveAlert['severity']): number => (s === 'critical' ? 2 : s === 'warning' ? 1 : 0);

/** Thresholds of the rules on `metric` that watch this host, to draw on its charts. */
export function useThresholds(
  hostId: string,
  tags: readonly string[] | undefined,
  metric: string,
  format: (value: number) => string,
): Threshold[] {
  const rules = useContext(RulesContext);
  const tagKey = (tags ?? []).join('\u0000');
  return useMemo(
    () => ruleThresholds(rules, hostId, tagKey ? tagKey.split('\u0000') : [], metric, format),
    [rules, hostId, tagKey, metric, format],
  );
}
