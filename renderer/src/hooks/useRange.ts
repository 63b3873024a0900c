// One metric of one host over the app's time range, from the store; refreshed while the range
// ends "now", so history and the present meet without a seam.
import { useEffect, useState } from 'react';
import type { SeriesSet } from '../../../common/schemas/history';
import { useClient } from '../api/context';
import { windowOf, type TimeRange } from './useTimeRange';

export interface RangeState {
  data: SeriesSet | undefined;
  loading: boolean;
  error: string | undefined;
}

const REFRESH_MS = 30_000;

export function useRange(host: string, metric: string, range: TimeRange, maxPoints = 600): RangeState {
  const client = useClient();
  const [state, setState] = useState<RangeState>({ data: undefined, loading: true, error: undefined });
  useEffect(() => {
    let cancelled = false;
    const load = () => {
      const { from, to } = windowOf(range, Date.now());
      client
        .call('metrics.range', { host, metric, from: Math.floor(from), to: Math.ceil(to), maxPoints })
        .then(
          (data) => !cancelled && setState({ data, loading: false, error: undefined }),
          (err: Error) => !cancelled && setState((s) => ({ ...s, loading: false, error: err.message })),
        );
    };
    setState((s) => ({ ...s, loading: true }));
    load();
    const timer = range.kind === 'absolute' ? undefined : setInterval(load, REFRESH_MS);
    return () => {
      cancelled = true;
      if (timer) clearInterval(timer);
    };
  }, [client, host, metric, range, maxPoints]);
  return state;
}
