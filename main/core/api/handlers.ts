// Binds the contract's methods and streams to the core's parts.
import { hostname, platform } from 'node:os';
import type { coreContract, MonitoringSettings } from '../../../common/api';
import type { Handlers } from '../../../common/rpc/server';
import type { HostsService } from '../hosts/hosts-service';
import { localStatus } from '../hosts/host-status';
import type { SshConfigImporter } from '../hosts/ssh-config-import';
import type { SampleHub } from '../live/sample-hub';
import type { SecretStore } from '../secrets/port';
import { exportFilename, toCsv, toJson } from '../store/export';
import type { HistoryStore } from '../store/history-store';
import type { RetentionSettings } from '../../../common/schemas/history';

export interface HandlerDeps {
  version: string;
  startedAt: number;
  sampleIntervalMs: number;
  hub: SampleHub;
  hosts: HostsService;
  importer: SshConfigImporter;
  secrets: SecretStore;
  settings: { get(): MonitoringSettings; set(value: MonitoringSettings): MonitoringSettings };
  history: HistoryStore;
  retention: { set(value: RetentionSettings): Promise<void> };
}

/** An export reads the finest tier the range allows, up to this many points per series. */
const EXPORT_MAX_POINTS = 100_000;

/** The core's own methods and streams (features bind theirs in their own handler modules). */
export function createHandlers(deps: HandlerDeps): Handlers<typeof coreContract> {
  const { hosts } = deps;
  return {
    methods: {
      'app.info': () => ({
        name: 'Hyperion' as const,
        version: deps.version,
        platform: platform(),
        hostname: hostname(),
        startedAt: deps.startedAt,
        now: Date.now(),
        sampleIntervalMs: deps.sampleIntervalMs,
      }),
      'metrics.latest': ({ host }) => deps.hub.latest(host) ?? null,
      'hosts.list': () => hosts.list(),
      'hosts.add': (input) => hosts.add(input),
      'hosts.update': ({ id, host }) => hosts.update(id, host),
      'hosts.remove': async ({ id }) => {
        await hosts.remove(id);
        return { removed: true as const };
      },
      'hosts.acceptKey': ({ id, fingerprint }) => hosts.acceptKey(id, fingerprint),
      'hosts.reconnect': ({ id }) => hosts.reconnect(id),
      'hosts.sshConfigCandidates': () => deps.importer.candidates(),
      'hosts.importSshConfig': ({ aliases }) => deps.importer.import(aliases),
      'settings.monitoring': () => deps.settings.get(),
      'settings.setMonitoring': (value) => deps.settings.set(value),
      'metrics.range': (query) => deps.history.query(query),
      'metrics.export': async ({ host, metric, labels, from, to, format }) => {
        const set = await deps.history.query({
          host,
          metric,
          labels,
          from,
          to,
          maxPoints: EXPORT_MAX_POINTS,
        });
        const { body, rows } = format === 'csv' ? toCsv(host, metric, set) : toJson(host, metric, set);
        return {
          filename: exportFilename(host, metric, from, to, format),
          contentType: format === 'csv' ? 'text/csv' : 'application/json',
          body,
          rows,
        };
      },
      'storage.stats': () => deps.history.stats(),
      'storage.setRetention': async (value) => {
        await deps.retention.set(value);
        return deps.history.stats();
      },
      'storage.compact': async () => {
        await deps.history.compact();
        return deps.history.stats();
      },
      'secrets.info': () => ({ kind: deps.secrets.kind, description: deps.secrets.description }),
    },
    streams: {
      // Snapshot, then changes: the recent past first, then every new sample in per-tick batches.
      'metrics.live': ({ hosts: ids, historySec }, emit) => {
        const since = Date.now() - historySec * 1000;
        const history =
          historySec === 0
            ? ids.flatMap((h) => deps.hub.latest(h) ?? [])
            : ids.flatMap((h) => deps.hub.recent(h, since)).sort((a, b) => a.ts - b.ts);
        emit({ snapshot: true, samples: history });
        return deps.hub.watch(ids, (samples) => emit({ snapshot: false, samples }));
      },
      'storage.status': (_params, emit) => {
        emit(deps.history.status);
        return deps.history.onStatus(emit);
      },
      'hosts.status': (_params, emit) => {
        emit({
          snapshot: true,
          hosts: [localStatus(deps.startedAt, deps.sampleIntervalMs), ...hosts.statuses()],
          removed: [],
        });
        return hosts.onStatuses((changed, removed) => emit({ snapshot: false, hosts: changed, removed }));
      },
    },
  };
}
