// The history store's facade with its engine inline: samples packed, staged, moved, counted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flattenSample } from '../../../../../common/metrics';
import { silentLogger } from '../../../../../main/core/log';
import { openDatabase } from '../../../../../main/core/store/database';
import { HistoryStore } from '../../../../../main/core/store/history-store';
import { DEFAULT_RETENTION, HOUR } from '../../../../../main/core/store/history-writer';
import { realisticSample } from '../../../../integration/store/ingest-child';

let dir: string;
let store: HistoryStore;
const path = () => join(dir, 'history.db');
// On an hour two hours back: the hour is complete (and rolled up) whatever the time of day, so a
// host's oldest bucket is the same in every tier.
const START = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
const SERIES = flattenSample(realisticSample('x', START)).length;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
async function settled(): Promise<void> {
  for (let i = 0; i < 500 && (store.status.queuedValues > 0 || store.status.lastWriteAt === null); i++)
    await sleep(2);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hyperion-store-'));
  store = HistoryStore.open({
    path: path(),
    retention: DEFAULT_RETENTION,
    log: silentLogger,
    mode: 'inline',
  });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HistoryStore', () => {
  it('counts staged samples in the raw tier, with their oldest time, before and after the move', async () => {
    for (let i = 0; i < 30; i++) {
      store.ingest(realisticSample('web-1', START + i * 1000));
      store.ingest(realisticSample('db-1', START + 5000 + i * 1000));
    }
    await settled();
    const staged = await store.stats();
    expect(staged.tiers.find((t) => t.tier === 'raw')).toMatchObject({ rows: 60 * SERIES, oldest: START });
    expect(staged.hosts.map((h) => [h.host, h.oldest])).toEqual([
      ['web-1', START],
      ['db-1', START + 5000],
    ]);
    await store.maintain();
    const moved = await store.stats();
    expect(moved.tiers.find((t) => t.tier === 'raw')).toMatchObject({ rows: 60 * SERIES, oldest: START });
    // Rolled up now: a host's oldest row is its first minute's.
    expect(moved.hosts.map((h) => [h.host, h.oldest])).toEqual([
      ['web-1', START],
      ['db-1', START],
    ]);
  });

  it('stores every series of a host whose shape changes from batch to batch', async () => {
    const withDisk = realisticSample('web-1', START);
    store.ingest(withDisk);
    await settled();
    const without = realisticSample('web-1', START + 1000);
    without.disks.devices = without.disks.devices.filter((d) => d.name !== 'sda');
    store.ingest(without);
    await settled();
    store.ingest(realisticSample('web-1', START + 2000)); // sda is back: a third layout
    await store.maintain();
    const chart = await store.query({
      host: 'web-1',
      metric: 'disk.read',
      from: START,
      to: START + 3000,
      maxPoints: 100,
    });
    const times = Object.fromEntries(chart.series.map((s) => [s.label, s.points.map((p) => p?.[0])]));
    expect(times.sda).toEqual([START, START + 2000]);
    expect(times.vda).toEqual([START, START + 1000, START + 2000]);
    await store.close();
    const db = openDatabase({ path: path() });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM samples_raw').get()).toEqual({ n: 3 * SERIES - 5 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM series').get()).toEqual({ n: SERIES });
    } finally {
      db.close();
    }
    store = HistoryStore.open({
      path: path(),
      retention: DEFAULT_RETENTION,
      log: silentLogger,
      mode: 'inline',
    });
  });
});
