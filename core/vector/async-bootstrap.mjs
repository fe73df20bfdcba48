// Entry of every AsyncVectorEnv worker thread. Node 20 cannot load `.ts` in a worker by itself, and a worker does
// not inherit tsx from the parent (`execArgv: ['--import', 'tsx']` does not help), so this plain module registers
// tsx's loader in this thread and then imports the TypeScript entry named in `workerData.entry`. Without tsx
// installed it imports the entry directly (enough on a runtime that strips types itself).
import { workerData } from 'node:worker_threads';

try {
  const { register } = await import('tsx/esm/api');
  register();
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
}
await import(workerData.entry);
