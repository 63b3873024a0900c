// One subscription to alerts.changed per page, shared by everything that shows alerts (the rail
// badge, the fleet's host badges, the Alerts page): snapshot, then changes. In a browser that
// allowed it, it also shows the desktop notifications the core sends to open pages.
import { useSyncExternalStore } from 'react';
import type {
  ActiveAlert,
  AlertCounts,
  AlertsChanged,
  DesktopNotification,
} from '../../../../common/schemas/alerts';
import type { HyperionClient } from '../../api/client';
import { useClient } from '../../api/context';

export interface AlertsFeed {
  alerts: readonly ActiveAlert[];
  counts: AlertCounts;
  /** Active alerts by host id. */
  byHost: ReadonlyMap<string, readonly ActiveAlert[]>;
  loaded: boolean;
}

const NO_COUNTS: AlertCounts = {
  firing: 0,
  pending: 0,
  unhandled: 0,
  critical: 0,
  warning: 0,
  info: 0,
  worst: null,
};
const EMPTY: AlertsFeed = { alerts: [], counts: NO_COUNTS, byHost: new Map(), loaded: false };

/** Whether this page should show desktop notifications itself (a browser, not the Electron app). */
export function browserNotificationsAllowed(): boolean {
  return (
    typeof window !== 'undefined' &&
    !window.hyperion &&
    typeof Notification !== 'undefined' &&
    Notification.permission === 'granted'
  );
}

function showNotification(n: DesktopNotification): void {
  try {
    // The tag keeps two open tabs from showing the same notification twice.
    const shown = new Notification(n.title, { body: n.body, tag: n.id });
    shown.onclick = () => {
      window.focus();
      window.location.hash = n.route;
      shown.close();
    };
  } catch {
    // A browser that refuses (permission revoked meanwhile): the badge still shows the alert.
  }
}

class FeedStore {
  private state: AlertsFeed = EMPTY;
  private readonly alerts = new Map<string, ActiveAlert>();
  private readonly listeners = new Set<() => void>();
  private stop: (() => void) | undefined;
  private desktop = false;

  constructor(private readonly client: HyperionClient) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.open();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.stop?.();
        this.stop = undefined;
      }
    };
  };

  get = (): AlertsFeed => this.state;

  /** After the user allowed notifications: subscribe again, now asking for them. */
  refreshPermission(): void {
    if (browserNotificationsAllowed() === this.desktop || this.listeners.size === 0) return;
    this.stop?.();
    this.open();
  }

  private open(): void {
    this.desktop = browserNotificationsAllowed();
    this.stop = this.client.subscribe(
      'alerts.changed',
      { desktopNotifications: this.desktop },
      { onEvent: (e) => this.apply(e) },
    );
  }

  private apply(e: AlertsChanged): void {
    if (e.snapshot) this.alerts.clear();
    for (const a of e.alerts) this.alerts.set(a.key, a);
    for (const k of e.removed) this.alerts.delete(k);
    for (const n of e.notifications) showNotification(n);
    if (e.alerts.length === 0 && e.removed.length === 0 && !e.snapshot && this.state.loaded) {
      if (JSON.stringify(e.counts) === JSON.stringify(this.state.counts)) return;
    }
    const alerts = [...this.alerts.values()].sort(
      (a, b) => rank(b) - rank(a) || (b.firedAt ?? b.since) - (a.firedAt ?? a.since),
    );
    const byHost = new Map<string, ActiveAlert[]>();
    for (const a of alerts) {
      const list = byHost.get(a.host);
      if (list) list.push(a);
      else byHost.set(a.host, [a]);
    }
    this.state = { alerts, counts: e.counts, byHost, loaded: true };
    for (const l of this.listeners) l();
  }
}

/** Firing before pending, critical before warning before info. */
function rank(a: ActiveAlert): number {
  return (a.state === 'firing' ? 10 : 0) + (a.severity === 'critical' ? 2 : a.severity === 'warning' ? 1 : 0);
}

const stores = new WeakMap<HyperionClient, FeedStore>();

export function feedStore(client: HyperionClient): FeedStore {
  let store = stores.get(client);
  if (!store) stores.set(client, (store = new FeedStore(client)));
  return store;
}

export function useAlertsFeed(): AlertsFeed {
  const store = feedStore(useClient());
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
