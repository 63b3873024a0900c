// The alerting service on a real SQLite file and a real encrypted secrets file, with its clock in
// the test's hands and senders that record what would go out (or fail, as told).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host } from '../../common/schemas/hosts';
import { AlertsService } from '../../main/core/alerts/alerts-service';
import { silentLogger } from '../../main/core/log';
import { ChannelBook } from '../../main/core/notify/channels';
import type { AlertNotice } from '../../main/core/notify/notice';
import { Outbox } from '../../main/core/notify/outbox';
import type { Sender, SendOutcome } from '../../main/core/notify/send-types';
import { EncryptedFileSecretStore } from '../../main/core/secrets/encrypted-file-store';
import { openDatabase, type Db } from '../../main/core/store/database';

export interface Sent {
  channel: string;
  messageId: string;
  notices: AlertNotice[];
}

export interface AlertsHarness {
  dir: string;
  db: Db;
  clock: { t: number };
  service: AlertsService;
  channels: ChannelBook;
  outbox: Outbox;
  sent: Sent[];
  /** What the next sends answer (default: delivered). */
  answer: { next: () => SendOutcome };
  hosts: Host[];
  /** Runs the engine's queue and the stream's pending flush. */
  settle(): Promise<void>;
  restart(): Promise<AlertsHarness>;
  dispose(): Promise<void>;
}

export function hostOf(id: string, tags: string[] = []): Host {
  return {
    id,
    name: id,
    address: '192.0.2.10',
    port: 22,
    username: 'admin',
    auth: { method: 'agent', keyPath: null, hasSecret: false },
    proxyJump: null,
    tags,
    createdAt: 0,
    updatedAt: 0,
  };
}

export async function createAlertsHarness(
  options: { dir?: string; hosts?: Host[]; clock?: { t: number }; removeDir?: boolean } = {},
): Promise<AlertsHarness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'hyperion-alerts-'));
  const db = openDatabase({ path: join(dir, 'hyperion.db') });
  const clock = options.clock ?? { t: 1_700_000_000_000 };
  const now = () => clock.t;
  const secrets = new EncryptedFileSecretStore({
    dataDir: dir,
    env: { HYPERION_SECRET_KEY: 'cd'.repeat(32) },
  });
  const channels = new ChannelBook(db, secrets, now);
  const sent: Sent[] = [];
  const answer = { next: (): SendOutcome => ({ ok: true, detail: 'ok' }) };
  const record: Sender = async (req) => {
    const outcome = answer.next();
    if (outcome.ok)
      sent.push({ channel: req.channel.id, messageId: req.messageId, notices: [...req.notices] });
    return outcome;
  };
  const outbox = new Outbox({
    db,
    channels,
    log: silentLogger,
    version: 'test',
    now,
    senders: { desktop: record, slack: record, webhook: record, email: record },
    backoff: { initialMs: 20, maxMs: 100 },
    random: () => 0.5,
    onOutcome: (o) => service.onDelivery(o),
  });
  const hosts = options.hosts ?? [hostOf('web-1', ['web']), hostOf('db-1', ['db'])];
  const service: AlertsService = new AlertsService({
    db,
    channels,
    outbox,
    log: silentLogger,
    listHosts: () => hosts,
    now,
    tickMs: 3_600_000,
    valueRefreshMs: 3_600_000,
  });
  service.start([]);
  const settle = async () => {
    service.engine.drain();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  };
  const harness: AlertsHarness = {
    dir,
    db,
    clock,
    service,
    channels,
    outbox,
    sent,
    answer,
    hosts,
    settle,
    async restart() {
      await service.stop();
      db.close();
      return createAlertsHarness({ dir, hosts, clock, removeDir: options.removeDir ?? !options.dir });
    },
    async dispose() {
      await service.stop();
      if (db.open) db.close();
      if (options.removeDir ?? !options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
