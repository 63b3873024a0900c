// The last couple of minutes of a few figures per host, plus each host's newest sample, from one
// live subscription: enough for the fleet's sparklines without keeping whole samples around.
import { useEffect, useRef, useState } from 'react';
import type { Sample } from '../../../common/schemas/sample';
import { useClient } from '../api/context';

/** The figures a sparkline needs, one value per sample; NaN where a sample has no value. */
export interface RecentFigures {
  cpu: number;
  memory: number;
  network: number;
}

export type FigureName = keyof RecentFigures;

/** One host's recent figures as parallel arrays, oldest first, bounded by time and by count. */
export interface RecentSeries {
  ts: readonly number[];
  cpu: readonly number[];
  memory: readonly number[];
  network: readonly number[];
}

export interface RecentSamples {
  latest: ReadonlyMap<string, Sample>;
  recent: ReadonlyMap<string, RecentSeries>;
}

const FIGURES: readonly FigureName[] = ['cpu', 'memory', 'network'];

/** CPU %, memory used %, and network bytes/s in + out over the interfaces that are not loopback. */
export function figuresOf(sample: Sample): RecentFigures {
  const { totalBytes, usedBytes } = sample.memory;
  let network = 0;
  for (const i of sample.network.interfaces) {
    if (i.name !== 'lo') network += i.rxBytesPerSec + i.txBytesPerSec;
  }
  return {
    cpu: sample.cpu.total.usage,
    memory: totalBytes > 0 ? (usedBytes / totalBytes) * 100 : NaN,
    network,
  };
}

/**
 * Adds points (any order) to a series and drops what is older than `windowMs` before the newest
 * point or beyond `capacity` points, so a host's series never grows past a fixed size. A point at
 * a time already held replaces it (a resubscription's snapshot repeats what we have).
 */
export function appendRecent(
  current: RecentSeries | undefined,
  points: readonly { ts: number; figures: RecentFigures }[],
  windowMs: number,
  capacity: number,
): RecentSeries {
  if (points.length === 0 && current) return current;
  const lastTs = current && current.ts.length > 0 ? current.ts[current.ts.length - 1]! : -Infinity;
  let merged: { ts: number; figures: RecentFigures }[];
  const held = current
    ? current.ts.map((ts, i) => ({
        ts,
        figures: { cpu: current.cpu[i]!, memory: current.memory[i]!, network: current.network[i]! },
      }))
    : [];
  const inOrder = points.every((p, i) => p.ts > (i === 0 ? lastTs : points[i - 1]!.ts));
  if (inOrder) {
    merged = held.concat(points);
  } else {
    const byTs = new Map<number, { ts: number; figures: RecentFigures }>();
    for (const p of held) byTs.set(p.ts, p);
    for (const p of points) byTs.set(p.ts, p);
    merged = [...byTs.values()].sort((a, b) => a.ts - b.ts);
  }
  const newest = merged.length > 0 ? merged[merged.length - 1]!.ts : 0;
  let first = Math.max(0, merged.length - capacity);
  while (first < merged.length && merged[first]!.ts <= newest - windowMs) first++;
  const kept = merged.slice(first);
  const series = { ts: kept.map((p) => p.ts) } as { -readonly [K in keyof RecentSeries]: number[] };
  for (const name of FIGURES) series[name] = kept.map((p) => p.figures[name]);
  return series;
}

/**
 * Applies a batch of samples to the per-host state. Hosts not in `hostIds` are dropped; a host
 * whose series did not change keeps the same object, so its sparklines need not redraw.
 */
export function applySamples(
  state: RecentSamples,
  samples: readonly Sample[],
  hostIds: ReadonlySet<string>,
  windowMs: number,
  capacity: number,
): RecentSamples {
  const byHost = new Map<string, Sample[]>();
  for (const s of samples) {
    if (!hostIds.has(s.hostId)) continue;
    const list = byHost.get(s.hostId);
    if (list) list.push(s);
    else byHost.set(s.hostId, [s]);
  }
  const latest = new Map<string, Sample>();
  const recent = new Map<string, RecentSeries>();
  for (const id of hostIds) {
    const incoming = byHost.get(id);
    const seenLatest = state.latest.get(id);
    const seenRecent = state.recent.get(id);
    if (!incoming) {
      if (seenLatest) latest.set(id, seenLatest);
      if (seenRecent) recent.set(id, seenRecent);
      continue;
    }
    let newest = seenLatest;
    for (const s of incoming) if (!newest || newest.ts <= s.ts) newest = s;
    latest.set(id, newest!);
    recent.set(
      id,
      appendRecent(
        seenRecent,
        incoming.map((s) => ({ ts: s.ts, figures: figuresOf(s) })),
        windowMs,
        capacity,
      ),
    );
  }
  return { latest, recent };
}

const EMPTY: RecentSamples = { latest: new Map(), recent: new Map() };
/** Samples arriving close together (one event per host each second) are applied in one render. */
const BATCH_MS = 50;

export function useRecentSamples(hostIds: readonly string[], historySec: number): RecentSamples {
  const client = useClient();
  const [state, setState] = useState<RecentSamples>(EMPTY);
  const pending = useRef<Sample[]>([]);
  const key = [...hostIds].sort().join(',');
  useEffect(() => {
    if (!key) return;
    const ids = new Set(key.split(','));
    const windowMs = historySec * 1000;
    // At 1 Hz a little headroom over one point a second covers jitter; the time bound does the rest.
    const capacity = Math.ceil(historySec * 1.5) + 4;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const batch = pending.current;
      pending.current = [];
      setState((s) => applySamples(s, batch, ids, windowMs, capacity));
    };
    const off = client.subscribe(
      'metrics.live',
      { hosts: [...ids], historySec },
      {
        onEvent: (event) => {
          for (const s of event.samples) pending.current.push(s);
          timer ??= setTimeout(flush, BATCH_MS);
        },
      },
    );
    return () => {
      off();
      if (timer !== undefined) clearTimeout(timer);
      pending.current = [];
    };
  }, [client, key, historySec]);
  return state;
}
