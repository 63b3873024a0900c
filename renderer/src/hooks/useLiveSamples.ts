// Subscribes to one host's live samples and keeps a window of the most recent ones.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { ApiError } from '../../../common/errors';
import type { HostFacts, Sample } from '../../../common/schemas/sample';
import { useClient } from '../api/context';

/** The newest facts and interval seen per host, so a host's header keeps them on its tool tabs. */
export interface KnownFacts {
  facts: HostFacts;
  intervalMs: number;
  ts: number;
}
const knownFacts = new Map<string, KnownFacts>();
const factListeners = new Set<() => void>();

const sameClock = (a: HostFacts['clock'], b: HostFacts['clock']): boolean =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.utcOffsetMin === b.utcOffsetMin &&
    a.timeZone === b.timeZone &&
    Math.round(a.offsetMs / 1000) === Math.round(b.offsetMs / 1000));

/** Keeps the newest facts; tells listeners when something they show changed (uptime: twice a minute). */
function rememberFacts(sample: Sample): void {
  const known = knownFacts.get(sample.hostId);
  if (known && known.ts >= sample.ts) return;
  const f = sample.host;
  const changed =
    !known ||
    known.intervalMs !== sample.intervalMs ||
    known.facts.hostname !== f.hostname ||
    known.facts.os !== f.os ||
    known.facts.kernel !== f.kernel ||
    known.facts.cores !== f.cores ||
    !sameClock(known.facts.clock, f.clock) ||
    sample.ts - known.ts >= 30_000;
  if (!changed) return;
  knownFacts.set(sample.hostId, { facts: f, intervalMs: sample.intervalMs, ts: sample.ts });
  for (const listener of factListeners) listener();
}

export function useKnownFacts(hostId: string): KnownFacts | undefined {
  return useSyncExternalStore(
    (listener) => {
      factListeners.add(listener);
      return () => factListeners.delete(listener);
    },
    () => knownFacts.get(hostId),
  );
}

export interface LiveSamples {
  samples: Sample[];
  status: 'loading' | 'live' | 'error';
  error: ApiError | undefined;
}

/** Merges new samples into the window by time: a resubscription's snapshot fills any gap once. */
export function mergeSamples(current: Sample[], incoming: Sample[], windowMs: number): Sample[] {
  if (incoming.length === 0) return current;
  const last = current[current.length - 1];
  let merged: Sample[];
  if (!last || incoming.every((s) => s.ts > last.ts)) {
    merged = current.concat(incoming);
  } else {
    const byTs = new Map<number, Sample>();
    for (const s of current) byTs.set(s.ts, s);
    for (const s of incoming) byTs.set(s.ts, s);
    merged = [...byTs.values()].sort((a, b) => a.ts - b.ts);
  }
  const newest = merged[merged.length - 1]!.ts;
  const firstKept = merged.findIndex((s) => s.ts > newest - windowMs);
  return firstKept > 0 ? merged.slice(firstKept) : merged;
}

/**
 * One host's live window. While `paused`, the window shown holds still (the subscription goes on
 * filling a buffer, so resuming shows the minutes missed at once, at the full rate).
 */
export function useLiveSamples(hostId: string, windowSec: number, paused = false): LiveSamples {
  const client = useClient();
  const [state, setState] = useState<LiveSamples>({ samples: [], status: 'loading', error: undefined });
  const buffer = useRef<Sample[]>([]);
  const pausedRef = useRef(paused);
  const shown = useRef(false);
  useEffect(() => {
    pausedRef.current = paused;
    if (!paused && buffer.current.length > 0) setState((s) => ({ ...s, samples: buffer.current }));
  }, [paused]);
  useEffect(() => {
    buffer.current = [];
    shown.current = false;
    setState({ samples: [], status: 'loading', error: undefined });
    return client.subscribe(
      'metrics.live',
      { hosts: [hostId], historySec: windowSec },
      {
        onEvent: (event) => {
          const newest = event.samples[event.samples.length - 1];
          if (newest) rememberFacts(newest);
          buffer.current = mergeSamples(buffer.current, event.samples, windowSec * 1000);
          // The first samples show even when paused: a paused view opened cold is not left blank.
          if (pausedRef.current && shown.current) return;
          shown.current = true;
          setState({ samples: buffer.current, status: 'live', error: undefined });
        },
        onError: (error) => setState((s) => ({ ...s, status: 'error', error })),
      },
    );
  }, [client, hostId, windowSec]);
  return state;
}
