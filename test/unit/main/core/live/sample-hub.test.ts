// SampleHub: recent samples per host, and one batch per tick for each watcher.
import type { Sample } from '../../../../../common/schemas/sample';
import { SampleHub } from '../../../../../main/core/live/sample-hub';
import { makeSample as sample } from '../../../../helpers/samples';

/** Resolves after the hub's own setImmediate flush (immediates run in order). */
const afterTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SampleHub history', () => {
  it('knows nothing of a host before its first sample', () => {
    const hub = new SampleHub();
    expect(hub.latest('web1')).toBeUndefined();
    expect(hub.recent('web1', 0)).toEqual([]);
  });

  it('gives the latest sample and the recent ones since a time, per host', () => {
    const hub = new SampleHub();
    for (const ts of [1000, 2000, 3000]) hub.publish(sample('web1', ts));
    hub.publish(sample('db1', 2500));
    expect(hub.latest('web1')?.ts).toBe(3000);
    expect(hub.latest('db1')?.ts).toBe(2500);
    expect(hub.recent('web1', 2000).map((s) => s.ts)).toEqual([2000, 3000]);
    expect(hub.recent('web1', 3001)).toEqual([]);
    expect(hub.recent('db1', 0).map((s) => s.hostId)).toEqual(['db1']);
  });

  it('keeps only retainPerHost samples of each host', () => {
    const hub = new SampleHub({ retainPerHost: 2 });
    for (const ts of [1, 2, 3, 4]) hub.publish(sample('web1', ts));
    hub.publish(sample('db1', 9));
    expect(hub.recent('web1', 0).map((s) => s.ts)).toEqual([3, 4]);
    expect(hub.recent('db1', 0).map((s) => s.ts)).toEqual([9]);
  });
});

describe('SampleHub watchers', () => {
  it('delivers one batch per tick with the samples of every watched host, and only those', async () => {
    const hub = new SampleHub();
    const onBatch = vi.fn<(samples: Sample[]) => void>();
    hub.watch(['web1', 'db1'], onBatch);
    hub.publish(sample('web1', 1));
    hub.publish(sample('cache1', 1));
    hub.publish(sample('db1', 1));
    expect(onBatch).not.toHaveBeenCalled(); // batched, not synchronous
    await afterTick();
    expect(onBatch).toHaveBeenCalledTimes(1);
    expect(onBatch.mock.calls[0]?.[0].map((s) => s.hostId)).toEqual(['web1', 'db1']);

    hub.publish(sample('web1', 2));
    await afterTick();
    expect(onBatch).toHaveBeenCalledTimes(2);
    expect(onBatch.mock.calls[1]?.[0].map((s) => `${s.hostId}@${s.ts}`)).toEqual(['web1@2']);
  });

  it('gives each watcher its own batch and none to a watcher whose hosts were quiet', async () => {
    const hub = new SampleHub();
    const web = vi.fn<(samples: Sample[]) => void>();
    const db = vi.fn<(samples: Sample[]) => void>();
    hub.watch(['web1'], web);
    hub.watch(['db1'], db);
    hub.publish(sample('web1', 1));
    hub.publish(sample('web1', 2));
    await afterTick();
    expect(web).toHaveBeenCalledTimes(1);
    expect(web.mock.calls[0]?.[0]).toHaveLength(2);
    expect(db).not.toHaveBeenCalled();
  });

  it('stops delivering after unsubscribe, including samples already queued in this tick', async () => {
    const hub = new SampleHub();
    const onBatch = vi.fn<(samples: Sample[]) => void>();
    const stop = hub.watch(['web1'], onBatch);
    expect(hub.watcherCount).toBe(1);
    hub.publish(sample('web1', 1));
    stop();
    expect(hub.watcherCount).toBe(0);
    await afterTick();
    hub.publish(sample('web1', 2));
    await afterTick();
    expect(onBatch).not.toHaveBeenCalled();
    expect(hub.latest('web1')?.ts).toBe(2); // history still kept without watchers
  });
});
