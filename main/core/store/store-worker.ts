// Entry of the history store's worker thread: the engine, fed by messages, maintained on a timer.
import { parentPort, workerData } from 'node:worker_threads';
import { StoreEngine, type EngineOptions } from './store-engine';
import type { EngineReply, EngineRequest } from './store-protocol';

const port = parentPort;
if (!port) throw new Error('store-worker must run in a worker thread');
const reply = (r: EngineReply): void => port.postMessage(r);
let engine: StoreEngine;
try {
  engine = new StoreEngine(workerData as EngineOptions);
} catch (err) {
  reply({ type: 'error', id: 0, message: (err as Error).message });
  throw err;
}
port.on('message', (message: EngineRequest) => engine.handle(message, reply));
setInterval(() => engine.handle({ type: 'maintain', id: -1, now: Date.now() }, reply), 10_000).unref();
