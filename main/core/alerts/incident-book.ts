// Incidents: what the engine's transitions become in the history. An alert that fires again
// within the flap window of its resolution reopens the same incident (flapping folded into one);
// one that stayed resolved for the window is closed. Acknowledgements live as long as the incident.
import { ApiError } from '../../../common/errors';
import type { AlertRule, IncidentEventKind } from '../../../common/schemas/alerts';
import type { Db } from '../store/database';
import type { AlertTransition } from './engine';
import {
  addEvent,
  getIncident,
  insertIncident,
  markClosed,
  markRefired,
  markResolved,
  openIncidentFor,
  openIncidents,
  setAcknowledged,
  updateValue,
  type IncidentRecord,
} from './incidents-repo';
import { alertKey } from './series';

export type FireOutcome =
  | { kind: 'new'; incident: IncidentRecord }
  /** Fired again within the flap window: the same incident; `firstFlap` on the first time. */
  | { kind: 'refired'; incident: IncidentRecord; firstFlap: boolean };

export class IncidentBook {
  /** Incidents not closed, by alert key (the newest one per key). */
  private readonly open = new Map<string, IncidentRecord>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly flapWindowMs: () => number,
  ) {
    for (const i of openIncidents(db)) this.open.set(alertKey(i.ruleId, i.host, i.label), i);
  }

  /** Incidents that were open when Hyperion stopped. */
  openAtStart(): IncidentRecord[] {
    return [...this.open.values()];
  }

  byKey(key: string): IncidentRecord | undefined {
    return this.open.get(key);
  }

  firingByKey(key: string): IncidentRecord | undefined {
    const i = this.open.get(key);
    return i?.state === 'firing' ? i : undefined;
  }

  get(id: number): IncidentRecord {
    const incident = getIncident(this.db, id);
    if (!incident) throw new ApiError('not_found', `There is no incident #${id}.`);
    return incident;
  }

  event(
    incidentId: number,
    kind: IncidentEventKind,
    message: string,
    value: number | null = null,
    actor: string | null = null,
    ts = this.now(),
  ): void {
    addEvent(this.db, { incidentId, ts, kind, value, actor, message });
  }

  fire(tr: AlertTransition, rule: AlertRule, summary: string): FireOutcome {
    const { instance, host, ts, value } = tr;
    const key = instance.key;
    const previous = this.open.get(key) ?? openIncidentFor(this.db, rule.id, host.id, instance.label);
    if (
      previous &&
      previous.state === 'resolved' &&
      previous.resolvedAt !== null &&
      ts - previous.resolvedAt <= this.flapWindowMs()
    ) {
      const firstFlap = previous.flapCount === 0;
      this.db.transaction(() => {
        markRefired(this.db, previous.id, value, summary);
        this.event(
          previous.id,
          'refired',
          `Fired again ${Math.round((ts - previous.resolvedAt!) / 1000)} s after it resolved: ${summary}`,
          value,
          null,
          ts,
        );
        if (firstFlap) {
          this.event(
            previous.id,
            'flapping',
            'Flapping: further firings within the flap window stay in this incident.',
            value,
            null,
            ts,
          );
        }
      })();
      const incident = this.reload(previous.id, key);
      return { kind: 'refired', incident, firstFlap };
    }
    if (previous && previous.state === 'firing') {
      // Still open from before a restart or a rule edit: carry on with it.
      return { kind: 'refired', incident: previous, firstFlap: false };
    }
    if (previous) this.close(previous, ts);
    const id = this.db.transaction(() => {
      const newId = insertIncident(this.db, {
        ruleId: rule.id,
        ruleName: rule.name,
        severity: rule.severity,
        metric: rule.metric,
        host: host.id,
        hostName: host.name,
        label: instance.label,
        comparison: rule.comparison,
        threshold: rule.threshold,
        clearThreshold: rule.clearThreshold ?? rule.threshold,
        startedAt: instance.state.since,
        firedAt: ts,
        value,
        summary,
      });
      if (rule.forSec > 0) {
        this.event(
          newId,
          'pending',
          `The condition began to hold (fires after ${rule.forSec} s).`,
          null,
          null,
          instance.state.since,
        );
      }
      this.event(newId, 'firing', summary, value, null, ts);
      return newId;
    })();
    return { kind: 'new', incident: this.reload(id, key) };
  }

  resolve(key: string, ts: number, value: number, peak: number, message: string): IncidentRecord | undefined {
    const incident = this.open.get(key);
    if (!incident || incident.state !== 'firing') return undefined;
    this.db.transaction(() => {
      markResolved(
        this.db,
        incident.id,
        ts,
        Number.isFinite(value) ? value : incident.value,
        Number.isFinite(peak) ? peak : incident.peak,
      );
      this.event(incident.id, 'resolved', message, Number.isFinite(value) ? value : null, null, ts);
    })();
    return this.reload(incident.id, key);
  }

  /** Keeps the stored value and peak of firing incidents current (for history and export). */
  updateValues(values: Iterable<{ key: string; value: number; peak: number }>): void {
    this.db.transaction(() => {
      for (const v of values) {
        const incident = this.open.get(v.key);
        if (!incident || incident.state !== 'firing' || !Number.isFinite(v.value)) continue;
        updateValue(this.db, incident.id, v.value, v.peak);
        incident.value = v.value;
      }
    })();
  }

  /** Closes the incidents that stayed resolved for the flap window; returns them. */
  closeDue(now = this.now()): IncidentRecord[] {
    const window = this.flapWindowMs();
    const due = [...this.open.values()].filter(
      (i) => i.state === 'resolved' && i.resolvedAt !== null && now - i.resolvedAt > window,
    );
    for (const i of due) this.close(i, now);
    return due;
  }

  acknowledge(id: number, by: string, note: string): IncidentRecord {
    const incident = this.get(id);
    if (incident.closedAt !== null || incident.state === 'resolved') {
      throw new ApiError(
        'conflict',
        `Incident #${id} has already resolved: there is nothing left to acknowledge.`,
      );
    }
    const at = this.now();
    this.db.transaction(() => {
      setAcknowledged(this.db, id, { by, at, note });
      this.event(
        id,
        'acknowledged',
        note ? `Acknowledged by ${by}: ${note}` : `Acknowledged by ${by}.`,
        null,
        by,
        at,
      );
    })();
    return this.reload(id, alertKey(incident.ruleId, incident.host, incident.label));
  }

  unacknowledge(id: number, by: string): IncidentRecord {
    const incident = this.get(id);
    if (!incident.acknowledged) throw new ApiError('conflict', `Incident #${id} is not acknowledged.`);
    this.db.transaction(() => {
      setAcknowledged(this.db, id, null);
      this.event(id, 'unacknowledged', `Acknowledgement taken back by ${by}.`, null, by);
    })();
    return this.reload(id, alertKey(incident.ruleId, incident.host, incident.label));
  }

  /** Re-reads one incident into the cache (after notifications marked it, for instance). */
  refresh(id: number): IncidentRecord | undefined {
    const i = getIncident(this.db, id);
    if (!i) return undefined;
    const key = alertKey(i.ruleId, i.host, i.label);
    if (i.closedAt === null) this.open.set(key, i);
    return i;
  }

  private close(incident: IncidentRecord, ts: number): void {
    this.db.transaction(() => {
      markClosed(this.db, incident.id, ts);
      this.event(
        incident.id,
        'closed',
        incident.flapCount > 0
          ? `Settled after flapping ${incident.flapCount} times: closed.`
          : 'Stayed resolved for the flap window: closed.',
        null,
        null,
        ts,
      );
    })();
    const key = alertKey(incident.ruleId, incident.host, incident.label);
    if (this.open.get(key)?.id === incident.id) this.open.delete(key);
  }

  private reload(id: number, key: string): IncidentRecord {
    const incident = getIncident(this.db, id)!;
    this.open.set(key, incident);
    return incident;
  }
}
