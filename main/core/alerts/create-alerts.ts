// Builds the alerting part of the core: channels, outbox, engine and service, bound to the sample
// hub, the hosts' states and the store. The shell passes the desktop notifier and the badge.
import type { AuditLog } from '../audit/audit-log';
import type { HostsService } from '../hosts/hosts-service';
import type { SampleHub } from '../live/sample-hub';
import type { Logger } from '../log';
import { ChannelBook } from '../notify/channels';
import { desktopSender } from '../notify/desktop-sender';
import { sendEmail } from '../notify/email-sender';
import { sendSlack, sendWebhook } from '../notify/http-senders';
import { Outbox, type OutboxOptions } from '../notify/outbox';
import { pageNotifier } from '../notify/page-notifier';
import type { AlertBadge, DesktopNotifier } from '../notify/ports';
import type { SecretStore } from '../secrets/port';
import type { Db } from '../store/database';
import type { HistoryStore } from '../store/history-store';
import { AlertsService, type AlertsServiceOptions } from './alerts-service';
import { DEFAULT_DESKTOP_CHANNEL_ID } from './builtin-rules';

export interface AlertTuning {
  backoff?: OutboxOptions['backoff'];
  maxAgeMs?: number;
  timeoutMs?: number;
  tickMs?: number;
  valueRefreshMs?: number;
  staleMs?: AlertsServiceOptions['staleMs'];
}

export interface AlertsDeps {
  db: Db;
  secrets: SecretStore;
  hub: SampleHub;
  hosts: HostsService;
  history: HistoryStore;
  audit: AuditLog;
  log: Logger;
  version: string;
  /** Electron's Notification; absent under `serve`, where open pages show them. */
  desktopNotifier?: DesktopNotifier;
  badge?: AlertBadge;
  tuning?: AlertTuning;
}

export interface Alerts {
  readonly service: AlertsService;
  readonly channels: ChannelBook;
  readonly outbox: Outbox;
  readonly history: HistoryStore;
  readonly hub: SampleHub;
  readonly desktopNotifier: DesktopNotifier;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createAlerts(deps: AlertsDeps): Alerts {
  const { db, log } = deps;
  const channels = new ChannelBook(db, deps.secrets);
  const desktopNotifier = deps.desktopNotifier ?? pageNotifier(() => alerts);
  const outbox = new Outbox({
    db,
    channels,
    log,
    version: deps.version,
    senders: {
      desktop: desktopSender(desktopNotifier),
      slack: sendSlack,
      webhook: sendWebhook,
      email: sendEmail,
    },
    backoff: deps.tuning?.backoff,
    maxAgeMs: deps.tuning?.maxAgeMs,
    timeoutMs: deps.tuning?.timeoutMs,
    // Called only once messages go out, after the service below exists.
    onOutcome: (outcome) => alerts.onDelivery(outcome),
  });
  const alerts: AlertsService = new AlertsService({
    db,
    channels,
    outbox,
    log,
    listHosts: () => deps.hosts.list(),
    audit: deps.audit,
    badge: deps.badge,
    tickMs: deps.tuning?.tickMs,
    valueRefreshMs: deps.tuning?.valueRefreshMs,
    staleMs: deps.tuning?.staleMs,
  });
  const offs: (() => void)[] = [];
  return {
    service: alerts,
    channels,
    outbox,
    history: deps.history,
    hub: deps.hub,
    desktopNotifier,
    async start() {
      // The first start gets a desktop channel, so the built-in rules reach someone.
      const firstStart = (db.prepare('SELECT COUNT(*) AS n FROM alert_rules').get() as { n: number }).n === 0;
      if (firstStart && !channels.get(DEFAULT_DESKTOP_CHANNEL_ID)) {
        await channels.create(
          {
            kind: 'desktop',
            name: 'Desktop',
            enabled: true,
            minSeverity: 'warning',
            groupWindowSec: 5,
            maxPerHour: 60,
          },
          DEFAULT_DESKTOP_CHANNEL_ID,
        );
      }
      offs.push(deps.hub.tap((sample) => alerts.ingest(sample)));
      offs.push(
        deps.hosts.onStatuses((changed, removed) => {
          if (removed.length > 0 || changed.some((s) => s.state === 'connecting')) alerts.onHostsChanged();
          for (const s of changed) alerts.onHostStatus(s);
        }),
      );
      alerts.start(deps.hosts.statuses());
    },
    async stop() {
      for (const off of offs.splice(0)) off();
      await alerts.stop();
    },
  };
}
