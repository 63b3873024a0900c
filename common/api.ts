// The one API contract between the core and every UI: methods and streams, declared once.
import { z } from 'zod';
import { defineContract } from './contract';
import { MetricName } from './metrics';
import { RangeQuery, RetentionSettings, SeriesSet, StorageStats, StoreStatus } from './schemas/history';
import { Host, HostInput, HostStatus } from './schemas/hosts';
import { HostId, Sample } from './schemas/sample';
import { ExportFile } from './schemas/export-file';
import { accountsContract } from './contracts/accounts';
import { alertsContract } from './contracts/alerts';
import { auditContract } from './contracts/audit';
import { processesContract } from './contracts/processes';
import { servicesContract } from './contracts/services';
import { commandsContract } from './contracts/commands';
import { terminalContract } from './contracts/terminal';
import { filesContract } from './contracts/files';

export const AppInfo = z.object({
  name: z.literal('Hyperion'),
  version: z.string(),
  platform: z.string(),
  hostname: z.string(),
  startedAt: z.number(),
  /** The core's clock when it answered: the UI's "now" comes from here, not the browser's clock. */
  now: z.number(),
  /** How often the local machine is sampled while watched (ms). */
  sampleIntervalMs: z.number().int().positive(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const LiveParams = z.object({
  hosts: z.array(HostId).min(1).max(500),
  /** Seconds of recent samples to include in the first (snapshot) event. */
  historySec: z.number().int().min(0).max(360).default(300),
});

export const LiveEvent = z.object({
  /** True for the first event of a subscription: the recent past; later events are new samples. */
  snapshot: z.boolean(),
  samples: z.array(Sample),
});
export type LiveEvent = z.infer<typeof LiveEvent>;

export const ImportCandidate = z.object({
  alias: z.string(),
  address: z.string(),
  port: z.number().int(),
  username: z.string().nullable(),
  keyPath: z.string().nullable(),
  /** The alias of the jump host, when it is also in the file. */
  proxyJump: z.string().nullable(),
  /** Why it cannot be imported as is (e.g. a ProxyJump chain), or null. */
  problem: z.string().nullable(),
  alreadySaved: z.boolean(),
});
export type ImportCandidate = z.infer<typeof ImportCandidate>;

export const MonitoringSettings = z.object({
  /** Sampling interval of hosts someone is looking at (ms). */
  fastIntervalMs: z.number().int().min(500).max(60_000),
  /** Sampling interval of hosts nobody is looking at (ms). */
  backgroundIntervalMs: z.number().int().min(1000).max(600_000),
});
export type MonitoringSettings = z.infer<typeof MonitoringSettings>;

const HostRef = z.object({ id: HostId }).strict();

export const ExportQuery = z
  .object({
    host: HostId,
    metric: MetricName,
    labels: z.array(z.string().max(512)).max(512).optional(),
    from: z.number().int().nonnegative(),
    to: z.number().int().positive(),
    format: z.enum(['csv', 'json']),
  })
  .refine((q) => q.to > q.from, { message: '"to" must be after "from"', path: ['to'] });

export { ExportFile };

// Each feature declares its part of the contract in common/contracts/; the core's own methods are here.
export const coreContract = defineContract({
  methods: {
    'app.info': {
      input: z.object({}).strict(),
      output: AppInfo,
      role: 'viewer',
      summary: 'Name, version and platform of the Hyperion core.',
    },
    'metrics.latest': {
      input: z.object({ host: HostId }).strict(),
      output: Sample.nullable(),
      role: 'viewer',
      summary: 'The most recent sample of one host, or null before the first one.',
    },
    'hosts.list': {
      input: z.object({}).strict(),
      output: z.array(Host),
      role: 'viewer',
      summary: 'Saved hosts, by name.',
    },
    'hosts.add': {
      input: HostInput,
      output: Host,
      role: 'admin',
      mutating: true,
      audit: { target: 'name' },
      summary: 'Saves a host and starts watching it; its key must then be accepted if it is new.',
    },
    'hosts.update': {
      input: z.object({ id: HostId, host: HostInput }).strict(),
      output: Host,
      role: 'admin',
      mutating: true,
      audit: { host: 'id' },
      summary: 'Changes a saved host and reconnects to it.',
    },
    'hosts.remove': {
      input: HostRef,
      output: z.object({ removed: z.literal(true) }),
      role: 'admin',
      mutating: true,
      audit: { host: 'id' },
      dangerous: true,
      summary: 'Stops watching a host and forgets it and its stored secret.',
    },
    'hosts.acceptKey': {
      input: z.object({ id: HostId, fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/) }).strict(),
      output: HostStatus,
      role: 'admin',
      mutating: true,
      audit: { host: 'id', target: 'fingerprint' },
      summary: 'Trusts the key the host presents, if it is the one the user was shown, and connects.',
    },
    'hosts.reconnect': {
      input: HostRef,
      output: HostStatus,
      role: 'operator',
      mutating: true,
      audit: { host: 'id' },
      summary: 'Connects again now instead of waiting for the next retry.',
    },
    'hosts.sshConfigCandidates': {
      input: z.object({}).strict(),
      output: z.object({
        path: z.string(),
        candidates: z.array(ImportCandidate),
        warnings: z.array(z.string()),
      }),
      role: 'admin',
      summary: 'Hosts found in ~/.ssh/config that could be imported.',
    },
    'hosts.importSshConfig': {
      input: z.object({ aliases: z.array(z.string().min(1).max(200)).min(1).max(500) }).strict(),
      output: z.object({
        added: z.array(Host),
        skipped: z.array(z.object({ alias: z.string(), reason: z.string() })),
      }),
      role: 'admin',
      mutating: true,
      summary: 'Saves the chosen ~/.ssh/config hosts.',
    },
    'settings.monitoring': {
      input: z.object({}).strict(),
      output: MonitoringSettings,
      role: 'viewer',
      summary: 'How often hosts are sampled.',
    },
    'settings.setMonitoring': {
      input: MonitoringSettings.strict(),
      output: MonitoringSettings,
      role: 'admin',
      mutating: true,
      summary: 'Changes how often hosts are sampled.',
    },
    'metrics.range': {
      input: RangeQuery,
      output: SeriesSet,
      role: 'viewer',
      summary: 'One metric of one host over a range, from the tier that fits, at most maxPoints per series.',
    },
    'metrics.export': {
      input: ExportQuery,
      output: ExportFile,
      role: 'viewer',
      summary: 'A metric over a range as CSV or JSON.',
    },
    'storage.stats': {
      input: z.object({}).strict(),
      output: StorageStats,
      role: 'viewer',
      summary: 'Database size per tier and per host, oldest samples, retention.',
    },
    'storage.setRetention': {
      input: RetentionSettings.strict(),
      output: StorageStats,
      role: 'admin',
      mutating: true,
      summary: 'How long each tier keeps its samples; older ones are deleted now.',
    },
    'storage.compact': {
      input: z.object({}).strict(),
      output: StorageStats,
      role: 'admin',
      mutating: true,
      summary: 'Deletes expired samples and gives the space back to the file system.',
    },
    'secrets.info': {
      input: z.object({}).strict(),
      output: z.object({ kind: z.enum(['os-keychain', 'encrypted-file']), description: z.string() }),
      role: 'viewer',
      summary: 'Which secret store holds passwords and passphrases.',
    },
  },
  streams: {
    'metrics.live': {
      params: LiveParams,
      event: LiveEvent,
      role: 'viewer',
      summary: 'Recent samples of the watched hosts, then each new sample as it is taken.',
    },
    'storage.status': {
      params: z.object({}).strict(),
      event: StoreStatus,
      role: 'viewer',
      summary: 'Whether history is being stored, or why not (disk full, falling behind).',
    },
    'hosts.status': {
      params: z.object({}).strict(),
      event: z.object({ snapshot: z.boolean(), hosts: z.array(HostStatus), removed: z.array(HostId) }),
      role: 'viewer',
      summary: 'The connection state of every host, then each change.',
    },
  },
});

export const api = defineContract({
  methods: {
    ...coreContract.methods,
    ...auditContract.methods,
    ...processesContract.methods,
    ...servicesContract.methods,
    ...alertsContract.methods,
    ...commandsContract.methods,
    ...accountsContract.methods,
    ...terminalContract.methods,
    ...filesContract.methods,
  },
  streams: {
    ...coreContract.streams,
    ...auditContract.streams,
    ...processesContract.streams,
    ...servicesContract.streams,
    ...alertsContract.streams,
    ...commandsContract.streams,
    ...accountsContract.streams,
    ...terminalContract.streams,
    ...filesContract.streams,
  },
});

export type Api = typeof api;
