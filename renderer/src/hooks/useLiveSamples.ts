// Subscribes to one host's live samples and keeps a window of the most recent ones.
import { useEffect, useState, useSyncExternalStore } from 'react';
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

function rememberFacts(sample: Sample): void {
  const known = knownFacts.get(sample.hostId);
  if (known && known.ts >= sample.ts) return;
  knownFacts.set(sample.hostId, { facts: sample.host, intervalMs: sample.intervalMs, ts: sample.ts });
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

export function useLiveSamples(hostId: string, windowSec: number): LiveSamples {
  const client = useClient();
  const [state, setState] = useState<LiveSamples>({ samples: [], status: 'loading', error: undefined });
  useEffect(() => {
    setState({ samples: [], status: 'loading', error: undefined });
    return client.subscribe(
      'metrics.live',
      { hosts: [hostId], historySec: windowSec },
      {
        onEvent: (event) => {
          const newest = event.samples[event.samples.length - 1];
          if (newest) rememberFacts(newest);
          setState((s) => ({
            samples: mergeSamples(s.samples, event.samples, windowSec * 1000),
            status: 'live',
            error: undefined,
          }));
        },
        onError: (error) => setState((s) => ({ ...s, status: 'error', error })),
      },
    );
  }, [client, hostId, windowSec]);
  return state;
}
