// The AsyncVectorEnv supervisor thread: the parent of the env workers. The main thread blocks in Atomics.wait
// while workers step, so it cannot see a worker's 'exit' event; this thread's event loop is free, so it can.
// When a worker stops without being asked to (process.exit in an env, an uncaught throw, out of memory) it posts
// why on the report port, then sets the dead bit in the control block, which wakes the main thread.
// Plain JavaScript so that it starts without a TypeScript loader; the protocol is in async-protocol.ts.
import { Worker, workerData } from 'node:worker_threads';

const { plans, ports, report, bootstrap, entry, slots, resourceLimits, execArgv } = workerData;
const control = new Int32Array(plans[0].control);

plans.forEach((plan, i) => {
  const worker = new Worker(new URL(bootstrap), {
    workerData: { ...plan, entry, port: ports[i] },
    transferList: [ports[i]],
    resourceLimits,
    execArgv,
  });
  let error = null;
  worker.on('error', (e) => {
    error = e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : { name: 'thrown value', message: String(e), stack: undefined };
  });
  worker.on('exit', (exitCode) => {
    if (exitCode === 0 && error === null && Atomics.load(control, slots.COMMAND) === slots.CLOSE) return; // asked to stop
    report.postMessage({ type: 'crash', worker: i, exitCode, error });
    Atomics.or(control, slots.PENDING, slots.DEAD_BIT);
    Atomics.notify(control, slots.PENDING);
  });
});
