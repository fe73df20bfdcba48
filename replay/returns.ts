/**
 * Discounted returns, truncation bootstrapping and TD targets: pure functions over typed arrays.
 *
 * Conventions shared with `gae.ts`:
 * - A rollout segment is `T` steps; step `t` is (observation o_t, action a_t, reward r_t, next observation o_{t+1}).
 * - `dones[t]` = 1 means "the episode ended at step t": r_t was its last reward, and the next entry of the segment
 *   (if any) belongs to a new episode, so nothing is bootstrapped across it. Set it for terminated steps AND for
 *   truncated steps, and for truncated steps fold the value of the final observation into the reward first with
 *   {@link bootstrapTruncated} / {@link bootstrapTruncatedRewards} (what SB3 and CleanRL do). Passing
 *   `terminated` alone would be wrong when a segment runs on into the next episode: o_{t+1} in the segment is then
 *   the reset observation of the new episode, not the state the truncated episode would have continued from.
 * - Anything nonzero / `true` in a flag array counts as 1.
 */

type FlagArray = ArrayLike<number | boolean>;

function checkGamma(name: string, gamma: number): void {
  if (!(gamma >= 0 && gamma <= 1)) throw new RangeError(`${name}: gamma must be in [0, 1], received ${gamma}`);
}

function checkLength(name: string, what: string, a: ArrayLike<unknown>, n: number): void {
  if (a.length !== n) throw new RangeError(`${name}: ${what} has length ${a.length}, expected ${n}`);
}

function checkNumEnvs(name: string, numEnvs: number, total: number): number {
  if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new RangeError(`${name}: numEnvs must be a positive integer, received ${numEnvs}`);
  if (total % numEnvs !== 0) throw new RangeError(`${name}: length ${total} is not a multiple of numEnvs ${numEnvs}`);
  return total / numEnvs;
}

/**
 * Discounted return of every step of a segment, computed backwards:
 *
 *   G_{T-1} = r_{T-1} + gamma * lastValue * (1 - done_{T-1})
 *   G_t     = r_t + gamma * G_{t+1} * (1 - done_t)
 *
 * `lastValue` bootstraps past the end of the segment (0 for a segment that ends with its episode, V(o_T) for one
 * cut short by the rollout length). See the module notes for what `dones[t]` means and how to handle truncation.
 */
export function discountedReturns(rewards: ArrayLike<number>, dones: FlagArray, gamma: number, lastValue = 0, out?: Float32Array): Float32Array {
  return returnsColumns('discountedReturns', rewards, dones, 1, gamma, [lastValue], out);
}

/**
 * {@link discountedReturns} for `numEnvs` parallel segments laid out `[T, numEnvs]` row-major (index `t * numEnvs + i`),
 * as vector envs produce them. `lastValues[i]` bootstraps env `i` past the end (zeros when omitted).
 */
export function discountedReturnsVec(
  rewards: ArrayLike<number>,
  dones: FlagArray,
  numEnvs: number,
  gamma: number,
  lastValues?: ArrayLike<number>,
  out?: Float32Array,
): Float32Array {
  return returnsColumns('discountedReturnsVec', rewards, dones, numEnvs, gamma, lastValues, out);
}

function returnsColumns(
  name: string,
  rewards: ArrayLike<number>,
  dones: FlagArray,
  numEnvs: number,
  gamma: number,
  lastValues: ArrayLike<number> | undefined,
  out: Float32Array | undefined,
): Float32Array {
  const total = rewards.length;
  checkNumEnvs(name, numEnvs, total);
  checkLength(name, 'dones', dones, total);
  checkGamma(name, gamma);
  if (lastValues !== undefined) checkLength(name, 'lastValues', lastValues, numEnvs);
  const result = out ?? new Float32Array(total);
  checkLength(name, 'out', result, total);
  for (let i = 0; i < numEnvs; i++) {
    let g = lastValues === undefined ? 0 : lastValues[i];
    for (let k = total - numEnvs + i; k >= 0; k -= numEnvs) {
      g = rewards[k] + (dones[k] ? 0 : gamma * g);
      result[k] = g;
    }
  }
  return result;
}

/**
 * The reward to store for a truncated step so that treating it as an episode end stays unbiased:
 * `reward + gamma * V(finalObservation)` — the one-step bootstrap the time limit cut off.
 * Do not use it for a terminated step (the final state has no future); if a step is both, termination wins.
 */
export function bootstrapTruncated(reward: number, gamma: number, valueOfFinalObs: number): number {
  return reward + gamma * valueOfFinalObs;
}

/**
 * {@link bootstrapTruncated} over a batch, in place: `rewards[k] += gamma * finalValues[k]` wherever
 * `truncated[k]` and not `terminated[k]`. `finalValues[k]` is V(final observation) of that step (read only where
 * it is used, so other entries may be anything). Works for any layout, `[T]` or `[T, N]`. Returns `rewards`.
 */
export function bootstrapTruncatedRewards(
  rewards: Float32Array | Float64Array,
  terminated: FlagArray,
  truncated: FlagArray,
  finalValues: ArrayLike<number>,
  gamma: number,
): Float32Array | Float64Array {
  const n = rewards.length;
  checkLength('bootstrapTruncatedRewards', 'terminated', terminated, n);
  checkLength('bootstrapTruncatedRewards', 'truncated', truncated, n);
  checkLength('bootstrapTruncatedRewards', 'finalValues', finalValues, n);
  checkGamma('bootstrapTruncatedRewards', gamma);
  for (let k = 0; k < n; k++) if (truncated[k] && !terminated[k]) rewards[k] += gamma * finalValues[k];
  return rewards;
}

/** `out[k] = terminated[k] || truncated[k] ? 1 : 0`: the `dones` that returns and GAE expect (see module notes). */
export function episodeEnds(terminated: FlagArray, truncated: FlagArray, out?: Uint8Array): Uint8Array {
  const n = terminated.length;
  checkLength('episodeEnds', 'truncated', truncated, n);
  const result = out ?? new Uint8Array(n);
  checkLength('episodeEnds', 'out', result, n);
  for (let k = 0; k < n; k++) result[k] = terminated[k] || truncated[k] ? 1 : 0;
  return result;
}

/**
 * Q-learning targets over a batch:
 *
 *   y_k = r_k + gammaN_k * maxQ'_k * (1 - terminated_k)
 *
 * `nextQMax[k]` is max_a Q_target(o'_k, a) (or, for double DQN, Q_target(o'_k, argmax_a Q_online(o'_k, a))).
 * `gammaN` is the discount of the bootstrap: one number (gamma^n for a fixed n), or one per transition (the
 * `discounts` column an n-step buffer stores, gamma^m where m < n when the episode ended inside the window).
 * Only `terminated` cancels the bootstrap: a truncated transition bootstraps like any other.
 */
export function tdTargets(
  rewards: ArrayLike<number>,
  nextQMax: ArrayLike<number>,
  terminated: FlagArray,
  gammaN: number | ArrayLike<number>,
  out?: Float32Array,
): Float32Array {
  const n = rewards.length;
  checkLength('tdTargets', 'nextQMax', nextQMax, n);
  checkLength('tdTargets', 'terminated', terminated, n);
  const result = out ?? new Float32Array(n);
  checkLength('tdTargets', 'out', result, n);
  if (typeof gammaN === 'number') {
    checkGamma('tdTargets', gammaN);
    for (let k = 0; k < n; k++) result[k] = terminated[k] ? rewards[k] : rewards[k] + gammaN * nextQMax[k];
  } else {
    checkLength('tdTargets', 'gammaN', gammaN, n);
    for (let k = 0; k < n; k++) result[k] = terminated[k] ? rewards[k] : rewards[k] + gammaN[k] * nextQMax[k];
  }
  return result;
}
