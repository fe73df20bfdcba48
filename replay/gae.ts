/**
 * Generalized Advantage Estimation (Schulman et al. 2016, "High-Dimensional Continuous Control Using Generalized
 * Advantage Estimation").
 *
 *   delta_t = r_t + gamma * V_{t+1} * (1 - done_t) - V_t
 *   A_t     = delta_t + gamma * lambda * (1 - done_t) * A_{t+1}          (A_T = 0)
 *   R_t     = A_t + V_t                                                   (the value-function target)
 *
 * where V_t = values[t] = V(o_t), and V_T = lastValue = V(o_T), the value of the observation that follows the
 * segment's last step. `dones[t]` = 1 means the episode ended at step t (after action a_t); set it for terminated
 * and for truncated steps alike, and for truncated steps add gamma * V(final observation) to the reward first with
 * `bootstrapTruncated` / `bootstrapTruncatedRewards` — see `returns.ts` for why. lambda = 1 gives the discounted
 * return minus V; lambda = 0 gives the one-step TD error.
 *
 * Vector envs with `next-step` autoreset insert a step whose action was ignored after every episode end; drop it
 * from the segment or use `same-step` autoreset, which needs no such care.
 */

export interface GaeResult {
  advantages: Float32Array;
  /** advantages + values: the value-function regression target. */
  returns: Float32Array;
}

/** GAE over one segment of `T` steps. Pass `out` to reuse arrays (each of length `T`). */
export function gae(
  rewards: ArrayLike<number>,
  values: ArrayLike<number>,
  dones: ArrayLike<number | boolean>,
  lastValue: number,
  gamma: number,
  lambda: number,
  out?: GaeResult,
): GaeResult {
  return gaeColumns('gae', rewards, values, dones, [lastValue], 1, gamma, lambda, out);
}

/**
 * GAE over `numEnvs` parallel segments laid out `[T, numEnvs]` row-major (index `t * numEnvs + i`), as vector envs
 * produce them; `lastValues[i]` = V(o_T) of env `i`. Each env's column is independent of the others.
 */
export function gaeVec(
  rewards: ArrayLike<number>,
  values: ArrayLike<number>,
  dones: ArrayLike<number | boolean>,
  lastValues: ArrayLike<number>,
  numEnvs: number,
  gamma: number,
  lambda: number,
  out?: GaeResult,
): GaeResult {
  return gaeColumns('gaeVec', rewards, values, dones, lastValues, numEnvs, gamma, lambda, out);
}

function gaeColumns(
  name: string,
  rewards: ArrayLike<number>,
  values: ArrayLike<number>,
  dones: ArrayLike<number | boolean>,
  lastValues: ArrayLike<number>,
  numEnvs: number,
  gamma: number,
  lambda: number,
  out: GaeResult | undefined,
): GaeResult {
  const total = rewards.length;
  if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new RangeError(`${name}: numEnvs must be a positive integer, received ${numEnvs}`);
  if (total % numEnvs !== 0) throw new RangeError(`${name}: length ${total} is not a multiple of numEnvs ${numEnvs}`);
  if (values.length !== total) throw new RangeError(`${name}: values has length ${values.length}, expected ${total}`);
  if (dones.length !== total) throw new RangeError(`${name}: dones has length ${dones.length}, expected ${total}`);
  if (lastValues.length !== numEnvs) throw new RangeError(`${name}: lastValues has length ${lastValues.length}, expected ${numEnvs}`);
  if (!(gamma >= 0 && gamma <= 1)) throw new RangeError(`${name}: gamma must be in [0, 1], received ${gamma}`);
  if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`${name}: lambda must be in [0, 1], received ${lambda}`);
  const advantages = out?.advantages ?? new Float32Array(total);
  const returns = out?.returns ?? new Float32Array(total);
  if (advantages.length !== total || returns.length !== total) throw new RangeError(`${name}: out arrays must have length ${total}`);
  const gl = gamma * lambda;
  for (let i = 0; i < numEnvs; i++) {
    let nextValue = lastValues[i];
    let nextAdv = 0;
    for (let k = total - numEnvs + i; k >= 0; k -= numEnvs) {
      const v = values[k];
      const a = dones[k] ? rewards[k] - v : rewards[k] + gamma * nextValue - v + gl * nextAdv;
      advantages[k] = a;
      returns[k] = a + v;
      nextAdv = a;
      nextValue = v;
    }
  }
  return { advantages, returns };
}
