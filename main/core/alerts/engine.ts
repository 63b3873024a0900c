// The alert engine: evaluates every rule on every sample as it arrives. Rules are compiled once;
// for each host a plan binds each (rule, series) pair to the position of its value in the sample,
// so a sample costs one pass over its bindings — no lookups, no allocation while nothing changes.
import type { AlertRule } from '../../../common/schemas/alerts';
import type { Sample } from '../../../common/schemas/sample';
import { compileLabelPattern, type LabelMatcher } from './label-pattern';
import { RateWindow } from './rate-window';
import {
  advance,
  BECAME_PENDING,
  CANCELLED,
  conditionOf,
  FIRED,
  FIRING,
  newInstanceState,
  NONE,
  OK,
  PENDING,
  RESOLVED,
  step,
  type AlertInstanceState,
  type RuleCondition,
  type Transition,
} from './rule-state';
import { alertKey, HOST_UNREACHABLE, SeriesBuffer } from './series';

export interface EngineHost {
  id: string;
  name: string;
  tags: readonly string[];
  /** Only remote hosts can be unreachable. */
  remote: boolean;
}

export interface CompiledRule {
  readonly rule: AlertRule;
  readonly cond: RuleCondition;
  readonly labels: LabelMatcher;
  readonly rateWindowMs: number;
  readonly stateMetric: boolean;
}

/** One alert: a rule on one series of one host, with its state. */
export interface AlertInstance {
  readonly key: string;
  readonly ruleId: string;
  readonly hostId: string;
  readonly label: string;
  readonly metric: string;
  rule: CompiledRule;
  readonly state: AlertInstanceState;
  rate: RateWindow | null;
}

export type TransitionKind = 'pending' | 'cancelled' | 'firing' | 'resolved';

export interface AlertTransition {
  kind: TransitionKind;
  instance: AlertInstance;
  host: EngineHost;
  ts: number;
  value: number;
  /** Why it resolved when not by its value: "the rule was deleted", "no data for 5 minutes", … */
  reason?: string;
}

interface HostPlan {
  version: number;
  buffer: SeriesBuffer;
  /** Positions in the buffer and the alerts they feed, in two parallel arrays. */
  indexes: Int32Array;
  instances: AlertInstance[];
}

export interface AlertEngineOptions {
  /** Told about every change of state, once per evaluation round. */
  onTransitions: (transitions: AlertTransition[]) => void;
  now?: () => number;
  /** A firing alert whose series sent nothing for this long (its host still up) resolves. */
  staleMs?: number;
}

const TRANSITION_KINDS: Record<Exclude<Transition, typeof NONE>, TransitionKind> = {
  [BECAME_PENDING]: 'pending',
  [CANCELLED]: 'cancelled',
  [FIRED]: 'firing',
  [RESOLVED]: 'resolved',
};

export function compileRule(rule: AlertRule): CompiledRule {
  return {
    rule,
    cond: conditionOf(rule),
    labels: compileLabelPattern(rule.labels),
    rateWindowMs: rule.rateWindowSec * 1000,
    stateMetric: rule.metric === HOST_UNREACHABLE,
  };
}

export function ruleCoversHost(rule: AlertRule, host: EngineHost): boolean {
  switch (rule.scope.kind) {
    case 'all':
      return true;
    case 'tag':
      return host.tags.includes(rule.scope.tag);
    case 'host':
      return host.id === rule.scope.host;
  }
}

export class AlertEngine {
  private rules: CompiledRule[] = [];
  private readonly rulesById = new Map<string, CompiledRule>();
  private readonly hosts = new Map<string, EngineHost>();
  private readonly plans = new Map<string, HostPlan>();
  /** Host-state bindings (host.unreachable) per host. */
  private readonly statePlans = new Map<string, { version: number; instances: AlertInstance[] }>();
  private readonly instances = new Map<string, AlertInstance>();
  private readonly unreachable = new Map<string, boolean>();
  private version = 1;
  private queue: Sample[] = [];
  private scheduled = false;
  private batch: AlertTransition[] = [];
  private readonly now: () => number;
  private readonly staleMs: number;
  /** Hosts seen in samples but not known yet: the service refreshes its list. */
  onUnknownHost: ((hostId: string) => void) | undefined;

  constructor(private readonly options: AlertEngineOptions) {
    this.now = options.now ?? Date.now;
    this.staleMs = options.staleMs ?? 5 * 60_000;
  }

  setRules(rules: readonly AlertRule[]): void {
    this.rules = rules.filter((r) => r.enabled).map(compileRule);
    this.rulesById.clear();
    for (const r of this.rules) this.rulesById.set(r.rule.id, r);
    this.version++;
    this.reconcile('the rule was changed');
  }

  setHosts(hosts: readonly EngineHost[]): void {
    this.hosts.clear();
    for (const h of hosts) this.hosts.set(h.id, h);
    for (const id of [...this.unreachable.keys()]) if (!this.hosts.has(id)) this.unreachable.delete(id);
    this.version++;
    this.reconcile('the host was removed or its tags changed');
  }

  host(id: string): EngineHost | undefined {
    return this.hosts.get(id);
  }

  /** Queues a sample; the queue is evaluated right after the poller's turn, never inside it. */
  ingest(sample: Sample): void {
    this.queue.push(sample);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  /** Evaluates what is queued now (tests, shutdown). */
  drain(): void {
    this.scheduled = false;
    const queue = this.queue;
    this.queue = [];
    for (const sample of queue) this.evaluateSample(sample);
    this.flush();
  }

  /** Evaluates one sample against every rule that covers its host. */
  evaluateSample(sample: Sample): void {
    const host = this.hosts.get(sample.hostId);
    if (!host) {
      this.onUnknownHost?.(sample.hostId);
      return;
    }
    let plan = this.plans.get(host.id);
    const buffer = plan?.buffer ?? new SeriesBuffer();
    const reshaped = buffer.read(sample);
    if (!plan || reshaped || plan.version !== this.version) {
      plan = this.buildPlan(host, buffer);
      this.plans.set(host.id, plan);
    }
    const ts = sample.ts;
    const values = buffer.values;
    const { indexes, instances } = plan;
    for (let i = 0; i < indexes.length; i++) {
      let value = values[indexes[i]!]!;
      if (value !== value) continue; // NaN: no value this time (a mount that did not answer)
      const inst = instances[i]!;
      if (inst.rate !== null) {
        value = inst.rate.push(ts, value);
        if (value !== value) continue; // NaN: not enough data for a rate yet
      }
      const t = step(inst.state, inst.rule.cond, value, ts);
      if (t !== NONE) this.batch.push({ kind: TRANSITION_KINDS[t], instance: inst, host, ts, value });
    }
  }

  /** A host's reachability changed (from the connection states). */
  setReachability(hostId: string, unreachable: boolean, ts: number): void {
    if (this.unreachable.get(hostId) === unreachable) return;
    this.unreachable.set(hostId, unreachable);
    const host = this.hosts.get(hostId);
    if (!host?.remote) return;
    const value = unreachable ? 1 : 0;
    for (const inst of this.stateInstances(host)) {
      const t = step(inst.state, inst.rule.cond, value, ts);
      if (t !== NONE) this.batch.push({ kind: TRANSITION_KINDS[t], instance: inst, host, ts, value });
    }
    // A host that comes back may bring series whose rate windows straddle the gap.
    if (!unreachable)
      for (const inst of this.instances.values()) if (inst.hostId === hostId) inst.rate?.reset();
    this.flush();
  }

  isUnreachable(hostId: string): boolean {
    return this.unreachable.get(hostId) === true;
  }

  /**
   * Time passing: host-state alerts reach their `for`; alerts whose series went silent while their
   * host is up (an unmounted disk, a removed interface) resolve.
   */
  tick(now = this.now()): void {
    for (const host of this.hosts.values()) {
      if (!host.remote || !this.unreachable.has(host.id)) continue;
      for (const inst of this.stateInstances(host)) {
        const t = advance(inst.state, inst.rule.cond, now);
        if (t !== NONE) {
          this.batch.push({
            kind: TRANSITION_KINDS[t],
            instance: inst,
            host,
            ts: now,
            value: inst.state.value,
          });
        }
      }
    }
    for (const inst of this.instances.values()) {
      if (inst.state.phase === OK || inst.rule.stateMetric) continue;
      if (this.isUnreachable(inst.hostId)) continue;
      if (now - inst.state.lastSeen < this.staleMs) continue;
      const host = this.hosts.get(inst.hostId);
      if (host)
        this.forceResolve(
          inst,
          host,
          now,
          `no data from this series for ${Math.round(this.staleMs / 60_000)} minutes`,
        );
    }
    this.flush();
  }

  /** Alerts that are pending or firing. */
  *active(): Generator<AlertInstance> {
    for (const inst of this.instances.values()) if (inst.state.phase !== OK) yield inst;
  }

  instance(key: string): AlertInstance | undefined {
    return this.instances.get(key);
  }

  /**
   * Brings back an alert that was firing when Hyperion stopped, so it resolves or goes on as the
   * first new values say, without a second incident or notification.
   */
  restoreFiring(
    ruleId: string,
    hostId: string,
    label: string,
    since: number,
    firedAt: number,
    value: number,
  ): boolean {
    const rule = this.rulesById.get(ruleId);
    const host = this.hosts.get(hostId);
    if (!rule || !host || !ruleCoversHost(rule.rule, host) || !rule.labels(label)) return false;
    const inst = this.instanceFor(rule, host, label);
    inst.state.phase = FIRING;
    inst.state.since = since;
    inst.state.firedAt = firedAt;
    inst.state.value = value;
    inst.state.peak = value;
    inst.state.lastSeen = this.now();
    if (rule.stateMetric) this.unreachable.set(hostId, true);
    return true;
  }

  /** How many (rule, series) pairs the plans hold: the work of one sample round. */
  get bindingCount(): number {
    let n = 0;
    for (const p of this.plans.values()) n += p.indexes.length;
    return n;
  }

  private stateInstances(host: EngineHost): AlertInstance[] {
    let plan = this.statePlans.get(host.id);
    if (!plan || plan.version !== this.version) {
      const instances: AlertInstance[] = [];
      for (const rule of this.rules) {
        if (rule.stateMetric && ruleCoversHost(rule.rule, host))
          instances.push(this.instanceFor(rule, host, ''));
      }
      plan = { version: this.version, instances };
      this.statePlans.set(host.id, plan);
      // A rule added while the host is already unreachable starts from what is known.
      const down = this.unreachable.get(host.id);
      if (down !== undefined) {
        for (const inst of instances) {
          if (inst.state.lastSeen !== 0) continue;
          const t = step(inst.state, inst.rule.cond, down ? 1 : 0, this.now());
          if (t !== NONE)
            this.batch.push({
              kind: TRANSITION_KINDS[t],
              instance: inst,
              host,
              ts: this.now(),
              value: down ? 1 : 0,
            });
        }
      }
    }
    return plan.instances;
  }

  private instanceFor(rule: CompiledRule, host: EngineHost, label: string): AlertInstance {
    const key = alertKey(rule.rule.id, host.id, label);
    let inst = this.instances.get(key);
    if (inst && inst.metric !== rule.rule.metric) {
      inst = undefined;
    }
    if (!inst) {
      inst = {
        key,
        ruleId: rule.rule.id,
        hostId: host.id,
        label,
        metric: rule.rule.metric,
        rule,
        state: newInstanceState(),
        rate: null,
      };
      this.instances.set(key, inst);
    }
    if (inst.rule !== rule) {
      const windowChanged = inst.rule.rateWindowMs !== rule.rateWindowMs;
      inst.rule = rule;
      if (windowChanged) inst.rate = null;
    }
    if (rule.rule.transform === 'rate') inst.rate ??= new RateWindow(rule.rateWindowMs);
    else inst.rate = null;
    return inst;
  }

  private buildPlan(host: EngineHost, buffer: SeriesBuffer): HostPlan {
    const positions = new Map<string, number[]>();
    for (let i = 0; i < buffer.length; i++) {
      const m = buffer.metrics[i]!;
      let list = positions.get(m);
      if (!list) positions.set(m, (list = []));
      list.push(i);
    }
    const indexes: number[] = [];
    const bound = new Set<string>();
    const instances: AlertInstance[] = [];
    for (const rule of this.rules) {
      if (rule.stateMetric || !ruleCoversHost(rule.rule, host)) continue;
      const list = positions.get(rule.rule.metric);
      if (!list) continue;
      for (const index of list) {
        const label = buffer.labels[index]!;
        if (!rule.labels(label)) continue;
        const instance = this.instanceFor(rule, host, label);
        bound.add(instance.key);
        indexes.push(index);
        instances.push(instance);
      }
    }
    // Alerts of this host that nothing watches any more and that are quiet: forget them.
    for (const [key, inst] of this.instances) {
      if (inst.hostId === host.id && !inst.rule.stateMetric && !bound.has(key) && inst.state.phase === OK) {
        this.instances.delete(key);
      }
    }
    return { version: this.version, buffer, indexes: Int32Array.from(indexes), instances };
  }

  /** After rules or hosts changed: alerts whose rule, host or series is no longer watched resolve. */
  private reconcile(reason: string): void {
    for (const [key, inst] of this.instances) {
      const rule = this.rulesById.get(inst.ruleId);
      const host = this.hosts.get(inst.hostId);
      const still =
        rule !== undefined &&
        host !== undefined &&
        rule.rule.metric === inst.metric &&
        ruleCoversHost(rule.rule, host) &&
        rule.labels(inst.label) &&
        (!rule.stateMetric || host.remote);
      if (still) {
        if (inst.rule !== rule) {
          // Same series, new settings: the state goes on and is judged by the new thresholds.
          const windowChanged = inst.rule.rateWindowMs !== rule.rateWindowMs;
          inst.rule = rule;
          if (rule.rule.transform !== 'rate') inst.rate = null;
          else if (windowChanged || !inst.rate) inst.rate = new RateWindow(rule.rateWindowMs);
        }
        continue;
      }
      if (inst.state.phase !== OK) {
        const why = !rule ? 'the rule was deleted or disabled' : !host ? 'the host was removed' : reason;
        this.forceResolve(
          inst,
          host ?? { id: inst.hostId, name: inst.hostId, tags: [], remote: true },
          this.now(),
          why,
        );
      }
      this.instances.delete(key);
    }
    this.flush();
  }

  private forceResolve(inst: AlertInstance, host: EngineHost, ts: number, reason: string): void {
    const wasFiring = inst.state.phase === FIRING;
    const wasPending = inst.state.phase === PENDING;
    inst.state.phase = OK;
    inst.state.clearingSince = -1;
    inst.state.lastSeen = 0;
    if (wasFiring || wasPending) {
      this.batch.push({
        kind: wasFiring ? 'resolved' : 'cancelled',
        instance: inst,
        host,
        ts,
        value: inst.state.value,
        reason,
      });
    }
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    this.options.onTransitions(batch);
  }
}
