// Binds the contract's methods and streams to the core's parts.
import { hostname, platform } from 'node:os';
import type { Api } from '../../../common/api';
import type { Handlers } from '../../../common/rpc/server';
import type { SampleHub } from '../live/sample-hub';

export interface HandlerDeps {
  version: string;
  startedAt: number;
  sampleIntervalMs: number;
  hub: SampleHub;
}

export function createHandlers(deps: HandlerDeps): Handlers<Api> {
  return {
    methods: {
      'app.info': () => ({
        name: 'Hyperion' as const,
        version: deps.version,
        platform: platform(),
        hostname: hostname(),
        startedAt: deps.startedAt,
        sampleIntervalMs: deps.sampleIntervalMs,
      }),
      'metrics.latest': ({ host }) => deps.hub.latest(host) ?? null,
    },
    streams: {
      // Snapshot, then changes: the recent past first, then every new sample in per-tick batches.
      'metrics.live': ({ hosts, historySec }, emit) => {
        const since = Date.now() - historySec * 1000;
        const history = hosts.flatMap((h) => deps.hub.recent(h, since)).sort((a, b) => a.ts - b.ts);
        emit({ snapshot: true, samples: history });
        return deps.hub.watch(hosts, (samples) => emit({ snapshot: false, samples }));
      },
    },
  };
}
