import type { NetworkConfig } from '../network.ts';
import { MlpEngine } from './mlp-engine.ts';
import { blockedSgemm, getDefaultSgemm } from './sgemm.ts';

/**
 * Largest MLP (in parameters) that `auto` runs on the typed-array engine while it multiplies with the plain-TS
 * sgemm. Measured with bench/train.ts (DQN update, batch 64, per CPU-second, 2-core EPYC, TF.js wasm with
 * arcade-rl's kernels): 4-64-64-2 (4.6k parameters) mlp 4.9x faster, 4-128-128-2 (17k) 0.9x, 4-256-256-2 (67k)
 * 0.5x: scalar JS loses to wasm's SIMD matMul once the maths outweighs TF.js's per-kernel overhead.
 */
export const PLAIN_TS_MLP_LIMIT = 20_000;

/**
 * Whether `engine: 'auto'` should run this network on the typed-array engine: a plain MLP, and either a native
 * sgemm is installed (`setDefaultSgemm`) or the net is small enough that the plain-TS sgemm wins.
 */
export function prefersMlpEngine(inputShape: readonly number[], outputSize: number, config: NetworkConfig): boolean {
  if (!MlpEngine.supports(config)) return false;
  if (getDefaultSgemm() !== blockedSgemm) return true;
  let fanIn = inputShape.reduce((a, b) => a * b, 1);
  let params = 0;
  for (const units of [...config.hidden, outputSize]) {
    params += (fanIn + 1) * units;
    fanIn = units;
  }
  return params <= PLAIN_TS_MLP_LIMIT;
}
