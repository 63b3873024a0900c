// Alerts, wired: samples and host states feed the engine; its transitions become incidents and
// notifications (through silences, acknowledgements and flap folding); the UI reads active alerts,
// history, rules, silences and channels, and follows changes on one stream.
import type {
  ActiveAlert,
  AlertCounts,
  AlertRule,
  AlertsChanged,
  AlertSettings,
  DesktopNotification,
  HistoryFilter,
  HistoryQuery,
  IncidentWithTimeline,
  ParsedAlertRule,
  Silence,
  SilenceInput,
} from '../../../common/schemas/alerts';
import { AlertSettings as AlertSettingsSchema } from '../../../common/schemas/alerts';
import { ApiError } from '../../../common/errors';
import type { Host, HostStatus } from '../../../common/schemas/hosts';
import type { Sample } from '../../../common/schemas/sample';
import type { AuditLog } from '../audit/audit-log';
import type { Logger } from '../log';
import type { ChannelBook } from '../notify/channels';
import type { AlertBadge } from '../notify/ports';
import type { Outbox, OutboxOutcome } from '../notify/outbox';
import type { Db } from '../store/database';
import { readSetting, writeSetting } from '../store/settings-repo';
import { countAlerts, toActiveAlert } from './active-view';
import { describeAlert, formatAlertValue } from './describe';
import { AlertEngine, type AlertInstance, type AlertTransition, type EngineHost } from './engine';
import { AlertNotifier } from './alert-notifier';
import { IncidentBook } from './incident-book';
import { allIncidents, eventsOf, listIncidents, type IncidentRecord } from './incidents-repo';
import { deleteRule, getRule, insertRule, listRules, seedBuiltinRules, updateRule } from './rules-repo';
import { BUILTIN_RULES } from './builtin-rules';
import { alertKey } from './series';
import { Silences } from './silences';
import { incidentsToCsv, incidentsToJson } from './alerts-export';

export const LOCAL_HOST: EngineHost = { id: 'local', name: 'This computer', tags: [], remote: false };

const DEFAULT_SETTINGS: AlertSettings = { linkBaseUrl: '', flapWindowMin: 10 };

export interface AlertsServiceOptions {
  db: Db;
  channels: ChannelBook;
  outbox: Outbox;
  log: Logger;
  /** Saved hosts (tags and names), re-read when hosts change. */
  listHosts: () => Host[];
  audit?: AuditLog;
  badge?: AlertBadge;
  now?: () => number;
  /** How often pending host-state alerts, stale series, flap windows and silences are looked at. */
  tickMs?: number;
  /** How often the values of active alerts are sent to watchers. */
  valueRefreshMs?: number;
  staleMs?: number;
}

export interface ChangeListener {
  (event: AlertsChanged): void;
}

interface Watcher {
  listener: ChangeListener;
  desktop: boolean;
}

export class AlertsService {
  readonly engine: AlertEngine;
  readonly silences: Silences;
  readonly incidents: IncidentBook;
  private readonly notifier: AlertNotifier;
  private readonly now: () => number;
  private rules = new Map<string, AlertRule>();
  private settings: AlertSettings;
  private defaultLinkBase = '';
  private readonly watchers = new Set<Watcher>();
  private readonly changedKeys = new Set<string>();
  private readonly removedKeys = new Set<string>();
  private readonly emitted = new Map<string, number>();
  private flushScheduled = false;
  private lastCounts: AlertCounts | undefined;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private refreshTimer: ReturnType<typeof setInterval> | undefined;
  private hostsById = new Map<string, EngineHost>();
  private ticks = 0;

  constructor(private readonly options: AlertsServiceOptions) {
    this.now = options.now ?? Date.now;
    const { db } = options;
    this.settings = readSetting(db, 'alerts', AlertSettingsSchema, DEFAULT_SETTINGS);
    this.silences = new Silences(db, this.now);
    this.incidents = new IncidentBook(db, this.now, () => this.settings.flapWindowMin * 60_000);
    this.notifier = new AlertNotifier({
      db,
      outbox: options.outbox,
      silences: this.silences,
      incidents: this.incidents,
      audit: options.audit,
      now: this.now,
      host: (id) => this.hostsById.get(id),
      linkBase: () => this.linkBase(),
    });
    this.engine = new AlertEngine({
      onTransitions: (t) => this.onTransitions(t),
      now: this.now,
      staleMs: options.staleMs,
    });
    this.engine.onUnknownHost = () => this.refreshHosts();
  }

  /** Loads rules and hosts, restores what was firing, and starts the clocks. */
  start(statuses: readonly HostStatus[]): void {
    const { db } = this.options;
    seedBuiltinRules(db, this.now());
    this.refreshHosts();
    this.reloadRules();
    for (const s of statuses) this.onHostStatus(s);
    this.restore();
    this.options.outbox.start();
    this.tickTimer = setInterval(() => this.tick(), this.options.tickMs ?? 1_000);
    this.tickTimer.unref?.();
    this.refreshTimer = setInterval(() => this.refreshValues(), this.options.valueRefreshMs ?? 5_000);
    this.refreshTimer.unref?.();
    this.publishCounts();
  }

  async stop(): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.engine.drain();
    this.refreshValues();
    await this.options.outbox.stop();
  }

  // ---- inputs ------------------------------------------------------------------------------

  /** Every published sample (the hub's tap): queued, evaluated right after the poller's turn. */
  ingest(sample: Sample): void {
    this.engine.ingest(sample);
  }

  onHostStatus(status: HostStatus): void {
    if (status.state === 'unreachable') this.engine.setReachability(status.id, true, this.now());
    else if (status.state === 'up' || status.state === 'auth_failed' || status.state.startsWith('host_key')) {
      this.engine.setReachability(status.id, false, this.now());
    }
  }

  onHostsChanged(): void {
    this.refreshHosts();
  }

  /** A channel was removed: rules no longer name it. */
  onChannelsChanged(): void {
    this.reloadRules();
  }

  /** The URL `serve` answers on, used in links when no link base is set. */
  setDefaultLinkBase(url: string): void {
    this.defaultLinkBase = url.replace(/\/+$/, '');
  }

  // ---- rules -------------------------------------------------------------------------------

  listRules(): AlertRule[] {
    return [...this.rules.values()];
  }

  createRule(rule: ParsedAlertRule): AlertRule {
    const id = insertRule(this.options.db, rule, this.now());
    this.reloadRules();
    return this.rules.get(id) ?? getRule(this.options.db, id)!;
  }

  updateRule(id: string, rule: ParsedAlertRule): AlertRule {
    this.requireRule(id);
    updateRule(this.options.db, id, rule, this.now());
    this.reloadRules();
    return getRule(this.options.db, id)!;
  }

  removeRule(id: string): void {
    const rule = this.requireRule(id);
    if (rule.builtin) {
      throw new ApiError(
        'conflict',
        `“${rule.name}” is a built-in rule: disable it instead, or reset it to its defaults.`,
      );
    }
    deleteRule(this.options.db, id);
    this.reloadRules();
  }

  resetRule(id: string): AlertRule {
    const rule = this.requireRule(id);
    const defaults = rule.builtin ? BUILTIN_RULES[rule.builtin] : undefined;
    if (!defaults)
      throw new ApiError('conflict', `“${rule.name}” is not a built-in rule: it has no defaults.`);
    return this.updateRule(id, defaults);
  }

  requireRule(id: string): AlertRule {
    const rule = getRule(this.options.db, id);
    if (!rule) throw new ApiError('not_found', `There is no alert rule with id "${id}".`);
    return rule;
  }

  hosts(): EngineHost[] {
    return [...this.hostsById.values()];
  }

  // ---- alerts and history -------------------------------------------------------------------

  active(): { alerts: ActiveAlert[]; counts: AlertCounts } {
    const alerts = [...this.engine.active()]
      .map((i) => this.view(i))
      .filter((a): a is ActiveAlert => a !== undefined);
    alerts.sort((a, b) => b.since - a.since);
    return { alerts, counts: countAlerts(alerts) };
  }

  history(query: HistoryQuery) {
    const { beforeId, limit, ...filter } = query;
    const page = listIncidents(this.options.db, filter, beforeId, limit ?? 100);
    return { incidents: page.incidents.map(publicIncident), nextBeforeId: page.nextBeforeId };
  }

  incident(id: number): IncidentWithTimeline {
    const incident = this.incidents.get(id);
    return { ...publicIncident(incident), events: eventsOf(this.options.db, id) };
  }

  acknowledge(id: number, by: string, note: string): IncidentWithTimeline {
    const incident = this.incidents.acknowledge(id, by, note);
    this.touchIncident(incident);
    return this.incident(id);
  }

  unacknowledge(id: number, by: string): IncidentWithTimeline {
    const incident = this.incidents.unacknowledge(id, by);
    this.touchIncident(incident);
    return this.incident(id);
  }

  export(filter: HistoryFilter, format: 'csv' | 'json') {
    const rows = [...allIncidents(this.options.db, filter)].map((i) => ({
      ...publicIncident(i),
      events: eventsOf(this.options.db, i.id),
    }));
    const { body, rows: n } = format === 'csv' ? incidentsToCsv(rows) : incidentsToJson(rows);
    const stamp = new Date(this.now())
      .toISOString()
      .replace(/[:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    return {
      filename: `hyperion-alerts-${stamp}.${format}`,
      contentType: format === 'csv' ? 'text/csv' : 'application/json',
      body,
      rows: n,
    };
  }

  // ---- silences -----------------------------------------------------------------------------

  listSilences(includeEnded: boolean): Silence[] {
    return this.silences.list(includeEnded);
  }

  createSilence(input: SilenceInput, by: string): Silence {
    if (input.matcher.kind === 'rule') this.requireRule(input.matcher.ruleId);
    const silence = this.silences.create(input, by);
    this.touchAll();
    return silence;
  }

  endSilence(id: number): Silence {
    const silence = this.silences.end(id);
    this.releaseHeld();
    this.touchAll();
    return silence;
  }

  // ---- settings -----------------------------------------------------------------------------

  getSettings(): AlertSettings {
    return this.settings;
  }

  setSettings(value: AlertSettings): AlertSettings {
    writeSetting(this.options.db, 'alerts', value);
    this.settings = value;
    return value;
  }

  linkBase(): string {
    return (this.settings.linkBaseUrl || this.defaultLinkBase).replace(/\/+$/, '');
  }

  // ---- the stream ---------------------------------------------------------------------------

  /** Snapshot first, then changes; `desktop` pages also get desktop notifications to show. */
  watch(listener: ChangeListener, desktop: boolean): () => void {
    const { alerts, counts } = this.active();
    listener({ snapshot: true, alerts, removed: [], counts, notifications: [] });
    const watcher: Watcher = { listener, desktop };
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** Pages that can show desktop notifications now. */
  get desktopPages(): number {
    let n = 0;
    for (const w of this.watchers) if (w.desktop) n++;
    return n;
  }

  /** Hands a desktop notification to the pages that show them; how many got it. */
  showOnPages(notification: DesktopNotification): number {
    let n = 0;
    const { counts } = this.active();
    for (const w of this.watchers) {
      if (!w.desktop) continue;
      w.listener({ snapshot: false, alerts: [], removed: [], counts, notifications: [notification] });
      n++;
    }
    return n;
  }

  /** The outbox delivered a message or gave up on it. */
  onDelivery(outcome: OutboxOutcome): void {
    this.notifier.onDelivery(outcome);
  }

  // ---- internals ----------------------------------------------------------------------------

  private reloadRules(): void {
    const rules = listRules(this.options.db, this.options.log);
    this.rules = new Map(rules.map((r) => [r.id, r]));
    this.engine.setRules(rules);
    this.touchAll();
  }

  private refreshHosts(): void {
    const hosts: EngineHost[] = [
      LOCAL_HOST,
      ...this.options.listHosts().map((h) => ({ id: h.id, name: h.name, tags: h.tags, remote: true })),
    ];
    const before = [...this.hostsById.values()];
    const same =
      before.length === hosts.length &&
      hosts.every((h, i) => {
        const b = before[i]!;
        return b.id === h.id && b.name === h.name && b.tags.join('\0') === h.tags.join('\0');
      });
    if (same) return;
    this.hostsById = new Map(hosts.map((h) => [h.id, h]));
    this.engine.setHosts(hosts);
    this.touchAll();
  }

  /** Firing incidents from before a restart carry on (or resolve, when their rule or host is gone). */
  private restore(): void {
    for (const incident of this.incidents.openAtStart()) {
      if (incident.state !== 'firing') continue;
      const ok = this.engine.restoreFiring(
        incident.ruleId,
        incident.host,
        incident.label,
        incident.startedAt,
        incident.firedAt,
        incident.value,
      );
      if (ok) {
        this.incidents.event(
          incident.id,
          'restored',
          'Hyperion restarted while this was firing: still watching it.',
        );
        continue;
      }
      const resolved = this.incidents.resolve(
        alertKey(incident.ruleId, incident.host, incident.label),
        this.now(),
        incident.value,
        incident.peak,
        'Resolved at start: its rule or host no longer exists.',
      );
      if (resolved) this.incidents.closeDue(this.now() + this.settings.flapWindowMin * 60_000 + 1);
    }
  }

  private onTransitions(transitions: AlertTransition[]): void {
    for (const tr of transitions) {
      const key = tr.instance.key;
      const rule = this.rules.get(tr.instance.ruleId);
      switch (tr.kind) {
        case 'pending':
          this.changedKeys.add(key);
          break;
        case 'cancelled':
          this.removedKeys.add(key);
          this.changedKeys.delete(key);
          break;
        case 'firing':
          if (rule) this.onFiring(tr, rule);
          this.changedKeys.add(key);
          break;
        case 'resolved':
          this.onResolved(tr, rule);
          this.removedKeys.add(key);
          this.changedKeys.delete(key);
          break;
      }
    }
    this.scheduleFlush();
  }

  private summaryOf(rule: AlertRule, host: EngineHost, label: string, value: number): string {
    return describeAlert({
      ruleName: rule.name,
      description: rule.description,
      metric: rule.metric,
      transform: rule.transform,
      comparison: rule.comparison,
      threshold: rule.threshold,
      host: host.name,
      label,
      value,
    });
  }

  private onFiring(tr: AlertTransition, rule: AlertRule): void {
    const summary = this.summaryOf(rule, tr.host, tr.instance.label, tr.value);
    const outcome = this.incidents.fire(tr, rule, summary);
    if (outcome.kind === 'new') {
      this.notifier.deliver('firing', outcome.incident, rule);
    } else if (outcome.firstFlap && outcome.incident.notified) {
      this.notifier.deliver('flapping', outcome.incident, rule);
    }
  }

  private onResolved(tr: AlertTransition, rule: AlertRule | undefined): void {
    const message = tr.reason
      ? `Resolved: ${tr.reason}.`
      : `Back to ${rule ? formatAlertValue(rule.metric, tr.value, rule.transform) : tr.value}: resolved.`;
    const incident = this.incidents.resolve(
      tr.instance.key,
      tr.ts,
      tr.value,
      tr.instance.state.peak,
      message,
    );
    if (!incident) return;
    // A flapping incident says "resolved" once, when it has settled (closeDue), not at every dip.
    if (incident.flapCount === 0 && incident.notified) this.notifier.deliver('resolved', incident, rule);
  }

  /** Firing incidents held back by a silence that has ended now get their notification. */
  private releaseHeld(): void {
    for (const inst of this.engine.active()) {
      const incident = this.incidents.firingByKey(inst.key);
      if (!incident || incident.notified || incident.acknowledged) continue;
      const host = this.hostsById.get(incident.host);
      if (this.silences.covering({ ruleId: incident.ruleId, host: incident.host, tags: host?.tags ?? [] }))
        continue;
      this.notifier.deliver('firing', incident, this.rules.get(incident.ruleId));
    }
  }

  /** Time passing (a timer calls it every second; tests call it with their clock). */
  tick(): void {
    // Host tags and names change rarely, and not always with a state change: look every 30 ticks.
    if (++this.ticks % 30 === 0) this.refreshHosts();
    this.engine.tick(this.now());
    for (const closed of this.incidents.closeDue(this.now())) {
      if (closed.flapCount > 0 && closed.notified) {
        this.notifier.deliver(
          'resolved',
          { ...closed, resolvedAt: closed.resolvedAt },
          this.rules.get(closed.ruleId),
        );
      }
    }
    if (this.silences.expire()) {
      this.releaseHeld();
      this.touchAll();
    }
  }

  /** The values of active alerts move every sample; watchers get them every few seconds. */
  private refreshValues(): void {
    const values: { key: string; value: number; peak: number }[] = [];
    for (const inst of this.engine.active()) {
      const value = inst.state.value;
      if (this.emitted.get(inst.key) === value) continue;
      this.changedKeys.add(inst.key);
      if (inst.state.phase === 2) values.push({ key: inst.key, value, peak: inst.state.peak });
    }
    if (values.length) this.incidents.updateValues(values);
    this.scheduleFlush();
  }

  private view(inst: AlertInstance): ActiveAlert | undefined {
    const rule = this.rules.get(inst.ruleId);
    const host = this.hostsById.get(inst.hostId);
    if (!rule || !host) return undefined;
    const incident = this.incidents.firingByKey(inst.key);
    const silence = this.silences.covering({ ruleId: rule.id, host: host.id, tags: host.tags });
    return toActiveAlert(
      inst,
      rule,
      host,
      incident,
      silence,
      this.summaryOf(rule, host, inst.label, inst.state.value),
    );
  }

  private touchIncident(incident: IncidentRecord): void {
    this.changedKeys.add(alertKey(incident.ruleId, incident.host, incident.label));
    this.scheduleFlush();
  }

  private touchAll(): void {
    for (const inst of this.engine.active()) this.changedKeys.add(inst.key);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.changedKeys.size === 0 && this.removedKeys.size === 0) return;
    const alerts: ActiveAlert[] = [];
    for (const key of this.changedKeys) {
      const inst = this.engine.instance(key);
      const view = inst && inst.state.phase !== 0 ? this.view(inst) : undefined;
      if (view) {
        alerts.push(view);
        this.emitted.set(key, view.value);
      } else this.removedKeys.add(key);
    }
    const removed = [...this.removedKeys].filter((k) => !alerts.some((a) => a.key === k));
    for (const k of removed) this.emitted.delete(k);
    this.changedKeys.clear();
    this.removedKeys.clear();
    const counts = this.publishCounts();
    if (alerts.length === 0 && removed.length === 0) return;
    for (const w of this.watchers)
      w.listener({ snapshot: false, alerts, removed, counts, notifications: [] });
  }

  private publishCounts(): AlertCounts {
    const { counts } = this.active();
    const last = this.lastCounts;
    if (!last || JSON.stringify(last) !== JSON.stringify(counts)) {
      this.lastCounts = counts;
      this.options.badge?.update(counts);
    }
    return counts;
  }
}

function publicIncident(i: IncidentRecord) {
  const { notified: _n, ...rest } = i;
  return rest;
}
