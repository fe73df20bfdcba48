/**
 * Vector env throughput: env steps per second (sub-envs x vector steps) of `SyncVectorEnv` and `AsyncVectorEnv` on
 * the platformer, symbolic and pixel observations, 1/2/4/8 envs, random actions; the speed-up is async / sync.
 * `--transport` also measures one empty main <-> worker round trip by Atomics.wait/notify and by postMessage.
 *
 *   npx tsx bench/vector.ts [--seconds 2] [--envs 1,2,4,8] [--obs symbolic,pixels] [--workers N] [--transport] [--json]
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Rng, makeVec, type VectorEnv } from '../core/index.ts';
import '../envs/index.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    envs: { type: 'string', default: '1,2,4,8' },
    obs: { type: 'string', default: 'symbolic,pixels' },
    workers: { type: 'string' },
    transport: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, received ${values.seconds}`);
const counts = values.envs.split(',').map(Number);
if (counts.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--envs must be positive integers separated by commas, received ${values.envs}`);
const observationModes = values.obs.split(',');
if (observationModes.some((o) => o !== 'symbolic' && o !== 'pixels')) throw new Error(`--obs must list symbolic and/or pixels, received ${values.obs}`);
const workers = values.workers === undefined ? undefined : Number(values.workers);
if (workers !== undefined && (!Number.isInteger(workers) || workers <= 0)) throw new Error(`--workers must be a positive integer, received ${values.workers}`);

/** Env steps per second under uniformly random actions; a warm-up of a quarter of the time first. */
function stepsPerSecond(vec: VectorEnv<unknown, number>): number {
  vec.reset({ seed: 0 });
  const rng = new Rng(1);
  const actions = new Array<number>(vec.numEnvs);
  const run = (budgetMs: number): number => {
    let steps = 0;
    const start = performance.now();
    let now = start;
    while (now - start < budgetMs) {
      for (let k = 0; k < 32; k++) {
        for (let i = 0; i < actions.length; i++) actions[i] = vec.singleActionSpace.sample(rng);
        vec.step(actions);
      }
      steps += 32 * vec.numEnvs;
      now = performance.now();
    }
    return (steps * 1000) / (now - start);
  };
  run(seconds * 250);
  return run(seconds * 1000);
}

interface Row {
  obs: string;
  envs: number;
  workers: number;
  sync: number;
  async: number;
  speedup: number;
}

const rows: Row[] = [];
for (const obs of observationModes) {
  const kwargs = { observation: obs };
  for (const n of counts) {
    const sync = makeVec('Platformer-v0', n, { kwargs }) as unknown as VectorEnv<unknown, number>;
    const syncSps = stepsPerSecond(sync);
    sync.close();
    const vec = makeVec('Platformer-v0', n, { async: true, kwargs, numWorkers: workers === undefined ? undefined : Math.min(workers, n) });
    const asyncSps = stepsPerSecond(vec as unknown as VectorEnv<unknown, number>);
    const row = { obs, envs: n, workers: vec.numWorkers, sync: syncSps, async: asyncSps, speedup: asyncSps / syncSps };
    vec.close();
    rows.push(row);
    if (!values.json) console.log(`Platformer-v0 ${obs.padEnd(8)} ${String(n).padStart(2)} envs  ${row.workers} workers  sync ${fmt(row.sync)}  async ${fmt(row.async)} steps/s  x${row.speedup.toFixed(2)}`);
  }
}

/** Round trips per second between this thread and a worker that answers at once. */
async function roundTrips(): Promise<{ atomics: number; postMessage: number }> {
  const control = new Int32Array(new SharedArrayBuffer(8));
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const c = new Int32Array(workerData);
    parentPort.once('message', (mode) => {
      if (mode === 'atomics') {
        for (let seen = 0; ; ) {
          while (Atomics.load(c, 0) === seen) Atomics.wait(c, 0, seen);
          seen = Atomics.load(c, 0);
          if (seen < 0) break;
          Atomics.store(c, 1, seen);
          Atomics.notify(c, 1);
        }
      } else {
        parentPort.on('message', (m) => (m < 0 ? parentPort.close() : parentPort.postMessage(m)));
      }
    });`;
  const budget = seconds * 1000;
  const atomicsWorker = new Worker(code, { eval: true, workerData: control.buffer });
  atomicsWorker.postMessage('atomics');
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < budget) {
    for (let k = 0; k < 256; k++) {
      n++;
      Atomics.store(control, 0, n);
      Atomics.notify(control, 0);
      while (Atomics.load(control, 1) !== n) Atomics.wait(control, 1, n - 1);
    }
  }
  const atomics = (n * 1000) / (performance.now() - t0);
  Atomics.store(control, 0, -1);
  Atomics.notify(control, 0);
  await atomicsWorker.terminate();

  const messageWorker = new Worker(code, { eval: true, workerData: control.buffer });
  messageWorker.postMessage('messages');
  let m = 0;
  const t1 = performance.now();
  while (performance.now() - t1 < budget) {
    await new Promise<void>((resolve) => {
      messageWorker.once('message', () => resolve());
      messageWorker.postMessage(++m);
    });
  }
  const postMessage = (m * 1000) / (performance.now() - t1);
  await messageWorker.terminate();
  return { atomics, postMessage };
}

const transport = values.transport ? await roundTrips() : undefined;
if (transport !== undefined && !values.json) {
  console.log(`empty round trip main <-> worker: Atomics.wait/notify ${fmt(transport.atomics)}/s, postMessage ${fmt(transport.postMessage)}/s`);
}
if (values.json) console.log(JSON.stringify({ cores: availableParallelism(), rows, transport }));
else console.log(`(${availableParallelism()} cores; AsyncVectorEnv workers default to min(envs, cores))`);

function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US').padStart(9);
}
