// The newest sample of each of several hosts, for overview screens.
import { useEffect, useState } from 'react';
import type { Sample } from '../../../common/schemas/sample';
import { useClient } from '../api/context';

export function useLatestSamples(hostIds: readonly string[]): ReadonlyMap<string, Sample> {
  const client = useClient();
  const [latest, setLatest] = useState<ReadonlyMap<string, Sample>>(new Map());
  const key = [...hostIds].sort().join(',');
  useEffect(() => {
    if (!key) return;
    return client.subscribe(
      'metrics.live',
      { hosts: key.split(','), historySec: 0 },
      {
        onEvent: (event) =>
          setLatest((current) => {
            const next = new Map(current);
            for (const sample of event.samples) {
              const seen = next.get(sample.hostId);
              if (!seen || seen.ts <= sample.ts) next.set(sample.hostId, sample);
            }
            return next;
          }),
      },
    );
  }, [client, key]);
  return latest;
}
