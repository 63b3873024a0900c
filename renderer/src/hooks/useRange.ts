// Metrics of one host over the app's time range, from the store; refreshed while the range ends
// "now", so history and the present meet without a seam.
import { useEffect, useState } from 'react';
import type { SeriesSet } from '../../../common/schemas/history';
import { useClient } from '../api/context';
import { serverNow } from '../lib/server-clock';
import { followsNow, useTimeFormat, windowOf, type TimeRange } from './useTimeRange';

export interface RangesState {
  /** Metric name → what the store returned, once every query answered. */
  sets: ReadonlyMap<string, SeriesSet> | undefined;
  loading: boolean;
  error: string | undefined;
  /** Asks again (after an error). */
  retry: () => void;
}

const REFRESH_MS = 30_000;

export function useRanges(
  host: string,
  metrics: readonly string[],
  range: TimeRange,
  maxPoints = 600,
): RangesState {
  const client = useClient();
  const [state, setState] = useState<Omit<RangesState, 'retry'>>({
    sets: undefined,
    loading: true,
    error: undefined,
  });
  const [attempt, setAttempt] = useState(0);
  // "Today" and "yesterday" begin at midnight in the zone times are shown in.
  const { zone } = useTimeFormat();
  const key = metrics.join(',');
  useEffect(() => {
    let cancelled = false;
    const names = key.split(',').filter(Boolean);
    const load = () => {
      const { from, to } = windowOf(range, serverNow(), zone);
      Promise.all(
        names.map((metric) =>
          client.call('metrics.range', {
            host,
            metric,
            from: Math.floor(from),
            to: Math.ceil(to),
            maxPoints,
          }),
        ),
      ).then(
        (sets) => {
          if (!cancelled)
            setState({ sets: new Map(names.map((m, i) => [m, sets[i]!])), loading: false, error: undefined });
        },
        (err: Error) => !cancelled && setState((s) => ({ ...s, loading: false, error: err.message })),
      );
    };
    setState((s) => ({ ...s, loading: true }));
    load();
    const timer = followsNow(range) ? setInterval(load, REFRESH_MS) : undefined;
    return () => {
      cancelled = true;
      if (timer) clearInterval(timer);
    };
  }, [client, host, key, range, maxPoints, zone, attempt]);
  return { ...state, retry: () => setAttempt((n) => n + 1) };
}
