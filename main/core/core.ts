// The composition root of the core: builds its parts and wires them. Electron-free.
import { join } from 'node:path';
import { api, MonitoringSettings, type Api } from '../../common/api';
import type { Handlers, ServeOptions } from '../../common/rpc/server';
import { AccountsService, type AccountsOptions } from './accounts/accounts-service';
import { createAuthorizer, createStepUpCheck } from './accounts/authorize';
import { SignInFlow } from './accounts/sign-in';
import { createAccountsHandlers } from './api/accounts-handlers';
import { createAlertsHandlers } from './api/alerts-handlers';
import { createAuditHandlers } from './api/audit-handlers';
import { createAlerts, type Alerts, type AlertTuning } from './alerts/create-alerts';
import { createHandlers } from './api/handlers';
import { createProcessesHandlers } from './api/processes-handlers';
import { createServicesHandlers } from './api/services-handlers';
import { HostRunners } from './actions/runners';
import { ProcessService } from './processes/process-service';
import { ServicesService } from './services/services-service';
import { auditSettledCalls } from './audit/audit-calls';
import { AuditLog } from './audit/audit-log';
import { LocalFilesystems } from './collectors/linux/local-filesystems';
import { LocalLinuxReader } from './collectors/linux/local-reader';
import { HostsService, type HostsServiceOptions } from './hosts/hosts-service';
import { SshConfigImporter } from './hosts/ssh-config-import';
import { createSshTools, type SshTools, type SshToolsOptions } from './ssh-tools/ssh-tools';
import { SampleHub } from './live/sample-hub';
import type { AlertBadge, DesktopNotifier } from './notify/ports';
import { silentLogger, type Logger } from './log';
import { SystemInformationReader } from './collectors/si/si-reader';
import { LocalMonitor } from './monitor/local-monitor';
import { linuxSampler, systemInformationSampler } from './monitor/local-samplers';
import { chooseSecretStore, type ChooseSecretStoreOptions } from './secrets/select';
import type { SecretStore } from './secrets/port';
import type { LoadSshConfigOptions } from './ssh/ssh-config-files';
import { openDatabase, type Db } from './store/database';
import { HistoryStore } from './store/history-store';
import { HOUR, type Retention } from './store/history-writer';
import { RetentionSettings } from '../../common/schemas/history';
import { readSetting, writeSetting } from './store/settings-repo';

export const LOCAL_HOST_ID = 'local';

const DEFAULT_RETENTION_SETTINGS: RetentionSettings = { rawHours: 48, minuteDays: 30, hourDays: 730 };

function toRetention(r: RetentionSettings): Retention {
  return { rawMs: r.rawHours * HOUR, minuteMs: r.minuteDays * 24 * HOUR, hourMs: r.hourDays * 24 * HOUR };
}
export const DATABASE_FILE = 'hyperion.db';

const DEFAULT_MONITORING: MonitoringSettings = { fastIntervalMs: 1000, backgroundIntervalMs: 10_000 };

export interface CoreOptions {
  version: string;
  /** Where the database, and the encrypted secrets file when no keychain exists, live. */
  dataDir: string;
  /** Sampling interval of the local machine (ms). */
  sampleIntervalMs?: number;
  /** Root of /proc and /sys (tests point it at a fixture tree). */
  procRoot?: string;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
  /** better-sqlite3 built for Electron's ABI, when the shell runs the core. */
  sqliteNativeBinding?: string;
  /** The keychain probe (the Electron shell passes its own keytar build). */
  probeKeychain?: ChooseSecretStoreOptions['probeKeychain'];
  /** Where ~/.ssh lives (tests point it at a temporary folder). */
  ssh?: { knownHostsPath?: string; config?: LoadSshConfigOptions };
  /** The history store's engine in a worker thread (the app) or inline (tests of the logic). */
  historyMode?: 'worker' | 'inline';
  /** How long samples gather before they are written together (default 5 s). */
  historyFlushMs?: number;
  /** Where the compiled store worker is, when the core runs from a bundle (benches). */
  historyWorkerScript?: string;
  /** Connection tuning, for tests. */
  connectionDefaults?: HostsServiceOptions['connectionDefaults'];
  /** Accounts tuning, for tests: a clock, sign-in throttling, the password hash's cost. */
  accounts?: Pick<AccountsOptions, 'now' | 'throttle' | 'scrypt'>;
  /** Desktop notifications (Electron's); without one, open browser pages show them. */
  desktopNotifier?: DesktopNotifier;
  /** The tray or dock badge of active alerts (Electron). */
  alertBadge?: AlertBadge;
  /** Alert timings, for tests (outbox backoff, ticks). */
  alertTuning?: AlertTuning;
  /** Commands, terminals and files tuning, for tests. */
  sshTools?: Pick<SshToolsOptions, 'commands' | 'terminal' | 'files'>;
}

export interface Core {
  readonly handlers: Handlers<Api>;
  /**
   * What every transport passes to serveConnection: the access check of every call (credential,
   * role, app lock, step-up) and the audit log's hook on settled calls.
   */
  readonly serveOptions: Pick<ServeOptions, 'onSettled' | 'authorize' | 'confirm'>;
  readonly audit: AuditLog;
  readonly accounts: AccountsService;
  /** The sign-in steps of `hyperion serve`'s HTTP endpoints. */
  readonly signIn: SignInFlow;
  readonly history: HistoryStore;
  readonly hub: SampleHub;
  readonly hosts: HostsService;
  readonly processes: ProcessService;
  /** Commands on many hosts, terminals and SFTP files. */
  readonly sshTools: SshTools;
  readonly secrets: SecretStore;
  readonly db: Db;
  readonly alerts: Alerts;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? silentLogger;
  const env = options.env ?? process.env;
  const sampleIntervalMs = options.sampleIntervalMs ?? 1000;
  const db = openDatabase({
    path: join(options.dataDir, DATABASE_FILE),
    nativeBinding: options.sqliteNativeBinding,
  });
  const { store: secrets } = await chooseSecretStore({
    dataDir: options.dataDir,
    env,
    log,
    probeKeychain: options.probeKeychain,
  });
  // The live feed keeps six minutes per host in memory (the live charts show five); older
  // samples are read from the store. Keeping an hour cost ~5 KB × 3600 per host of heap.
  const hub = new SampleHub({ retainPerHost: Math.ceil(360_000 / sampleIntervalMs) });
  // Linux reads /proc and /sys directly; macOS and Windows go through systeminformation.
  const onLinux = process.platform === 'linux' || options.procRoot !== undefined;
  const filesystems = new LocalFilesystems({ root: options.procRoot });
  const sampler = onLinux
    ? linuxSampler(
        new LocalLinuxReader({ root: options.procRoot, filesystems }),
        LOCAL_HOST_ID,
        'This computer',
      )
    : systemInformationSampler(new SystemInformationReader(), LOCAL_HOST_ID, 'This computer');
  const monitor = new LocalMonitor({
    sampler,
    intervalMs: sampleIntervalMs,
    publish: (sample) => hub.publish(sample),
    log,
  });
  let monitoring = readSetting(db, 'monitoring', MonitoringSettings, DEFAULT_MONITORING);
  const retention = readSetting(db, 'retention', RetentionSettings, DEFAULT_RETENTION_SETTINGS);
  const history = HistoryStore.open({
    path: join(options.dataDir, DATABASE_FILE),
    nativeBinding: options.sqliteNativeBinding,
    retention: toRetention(retention),
    log,
    mode: options.historyMode,
    flushIntervalMs: options.historyFlushMs ?? 5_000,
    workerScript: options.historyWorkerScript,
  });
  const untap = hub.tap((sample) => history.ingest(sample));
  const hosts = new HostsService({
    db,
    onOutage: (hostId, outage) =>
      history.recordOutage(hostId, outage.start, outage.end ?? null, outage.message),
    secrets,
    hub,
    log,
    env,
    settings: () => monitoring,
    knownHostsPath: options.ssh?.knownHostsPath,
    connectionDefaults: options.connectionDefaults,
  });
  const audit = new AuditLog(db);
  const coreHandlers = createHandlers({
    version: options.version,
    startedAt: Date.now(),
    sampleIntervalMs,
    hub,
    hosts,
    importer: new SshConfigImporter(hosts, options.ssh?.config),
    secrets,
    history,
    retention: {
      set: async (value) => {
        writeSetting(db, 'retention', value);
        await history.setRetention(toRetention(value));
      },
    },
    settings: {
      get: () => monitoring,
      set: (value) => {
        writeSetting(db, 'monitoring', value);
        monitoring = value;
        return monitoring;
      },
    },
  });
  const auditHandlers = createAuditHandlers(audit);
  const accounts = new AccountsService({ db, secrets, audit, log, ...options.accounts });
  const accountsHandlers = createAccountsHandlers(accounts);
  const runners = new HostRunners(hosts, LOCAL_HOST_ID);
  const services = new ServicesService({ runners, log });
  const processes = new ProcessService({
    runners,
    procRoot: options.procRoot,
    log,
    restartUnit: (host, unit) => services.act(host, unit, 'restart'),
  });
  const processesHandlers = createProcessesHandlers(processes);
  const servicesHandlers = createServicesHandlers(services);
  const alerts = createAlerts({
    db,
    secrets,
    hub,
    hosts,
    history,
    audit,
    log,
    version: options.version,
    desktopNotifier: options.desktopNotifier,
    badge: options.alertBadge,
    tuning: options.alertTuning,
  });
  const alertsHandlers = createAlertsHandlers(alerts, db);
  const sshTools = createSshTools({ db, hosts, audit, log, ...options.sshTools });
  const handlers: Handlers<Api> = {
    methods: {
      ...coreHandlers.methods,
      ...sshTools.handlers.methods,
      ...auditHandlers.methods,
      ...processesHandlers.methods,
      ...servicesHandlers.methods,
      ...alertsHandlers.methods,
      ...accountsHandlers.methods,
    },
    streams: {
      ...coreHandlers.streams,
      ...sshTools.handlers.streams,
      ...auditHandlers.streams,
      ...processesHandlers.streams,
      ...servicesHandlers.streams,
      ...alertsHandlers.streams,
      ...accountsHandlers.streams,
    },
  };
  let sweeper: ReturnType<typeof setInterval> | undefined;
  return {
    handlers,
    serveOptions: {
      onSettled: auditSettledCalls(audit),
      authorize: createAuthorizer(api, accounts),
      confirm: createStepUpCheck(accounts),
    },
    audit,
    accounts,
    signIn: new SignInFlow(accounts),
    history,
    hub,
    hosts,
    processes,
    sshTools,
    secrets,
    db,
    alerts,
    start: async () => {
      await alerts.start();
      // Expired sessions are deleted and their connections closed within half a minute.
      sweeper = setInterval(() => accounts.sweep(), 30_000);
      sweeper.unref();
      if (onLinux) filesystems.start();
      monitor.start();
      sshTools.start();
      await hosts.start();
    },
    stop: async () => {
      if (sweeper) clearInterval(sweeper);
      processes.stop();
      monitor.stop();
      filesystems.stop();
      await sshTools.stop();
      await hosts.stop();
      await alerts.stop();
      untap();
      await history.close();
      db.close();
    },
  };
}
