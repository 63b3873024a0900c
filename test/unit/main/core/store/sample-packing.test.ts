// Samples packed for the store's worker: a layout per sample shape, then numbers only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flattenSample } from '../../../../../common/metrics';
import type { Sample } from '../../../../../common/schemas/sample';
import { openDatabase } from '../../../../../main/core/store/database';
import { HistoryWriter } from '../../../../../main/core/store/history-writer';
import { concatTicks, SamplePacker, type SeriesLayout } from '../../../../../main/core/store/sample-packing';
import { realisticSample } from '../../../../integration/store/ingest-child';

const T0 = Date.UTC(2026, 10, 2, 3, 0, 0);

describe('SamplePacker', () => {
  it('packs a sample as its layout id, its time and its values in flattenSample order', () => {
    const packer = new SamplePacker();
    const sample = realisticSample('web-1', T0);
    const tick = packer.pack(sample);
    const { layouts, retired } = packer.takeChanges();
    expect(retired).toEqual([]);
    expect(layouts).toHaveLength(1);
    const flat = flattenSample(sample);
    expect(layouts[0]).toEqual({
      id: 1,
      host: 'web-1',
      metrics: flat.map((v) => v.metric),
      labels: flat.map((v) => v.label),
    });
    expect(tick.values).toBe(flat.length);
    expect([...tick.data]).toEqual([1, T0, ...flat.map((v) => v.value)]);
  });

  it('sends a layout once per shape, and retires it when the shape changes', () => {
    const packer = new SamplePacker();
    packer.pack(realisticSample('web-1', T0));
    packer.pack(realisticSample('db-1', T0));
    expect(packer.takeChanges().layouts.map((l) => [l.id, l.host])).toEqual([
      [1, 'web-1'],
      [2, 'db-1'],
    ]);
    // The same shape next second: numbers only.
    expect(packer.pack(realisticSample('web-1', T0 + 1000)).data[0]).toBe(1);
    expect(packer.takeChanges()).toEqual({ layouts: [], retired: [] });
    // An interface goes away: a new layout for that host, the old one retired.
    const fewer = realisticSample('web-1', T0 + 2000);
    fewer.network.interfaces = fewer.network.interfaces.slice(1);
    const tick = packer.pack(fewer);
    const changes = packer.takeChanges();
    expect(changes.retired).toEqual([1]);
    expect(changes.layouts.map((l) => [l.id, l.host, l.metrics.length])).toEqual([
      [3, 'web-1', flattenSample(fewer).length],
    ]);
    expect(tick.data[0]).toBe(3);
  });

  it('keeps its layout when a value is not a number, and marks it NaN (nothing stored for it)', () => {
    const packer = new SamplePacker();
    packer.pack(realisticSample('web-1', T0));
    packer.takeChanges();
    const odd: Sample = realisticSample('web-1', T0 + 1000);
    odd.memory.swapInBytesPerSec = Number.POSITIVE_INFINITY;
    odd.cpu.load = [Number.NaN, 1, 1];
    const tick = packer.pack(odd);
    expect(packer.takeChanges().layouts).toEqual([]);
    expect(tick.values).toBe(flattenSample(odd).length);
    expect([...tick.data].filter((v) => Number.isNaN(v))).toHaveLength(2);
  });

  it('stores through the writer exactly what flattenSample gives', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyperion-packing-'));
    const db = openDatabase({ path: join(dir, 'h.db') });
    try {
      const packer = new SamplePacker();
      const samples = [0, 1, 2].flatMap((i) =>
        ['a', 'b'].map((host) => realisticSample(host, T0 + i * 1000)),
      );
      samples[3]!.cpu.load = [Number.NaN, 2, 3];
      const ticks = samples.map((s) => packer.pack(s));
      const layouts = new Map<number, SeriesLayout>(packer.takeChanges().layouts.map((l) => [l.id, l]));
      const written = new HistoryWriter(db).writePacked(layouts, concatTicks(ticks));
      expect(written).toBe(samples.reduce((n, s) => n + flattenSample(s).length, 0));
      const stored = db
        .prepare(
          `SELECT s.host_id AS host, st.ts, s.metric, s.label, st.value FROM samples_staging st
           JOIN series s ON s.id = st.series_id ORDER BY st.host, st.ts, st.series_id`,
        )
        .all();
      const expected = ['a', 'b'].flatMap((host) =>
        samples
          .filter((s) => s.hostId === host)
          .flatMap((s) => flattenSample(s).map((v) => ({ host, ts: s.ts, ...v }))),
      );
      expect(stored).toEqual(expected);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
