import { InvalidInputError } from '../../errors.ts';

/**
 * The policy-gradient losses of a categorical policy on logits `[batch, numActions]`, with their gradients with
 * respect to the logits, written into preallocated buffers (no allocation per update). Conventions are CleanRL
 * `ppo.py`'s, as in agents/pg/losses.ts: the loss to minimise is `policyLoss - entCoef * entropy`, where
 * `policyLoss` is PPO's clipped surrogate `mean(max(-A r, -A clip(r, 1 - eps, 1 + eps)))` with
 * `r = pi(a|s) / pi_old(a|s)` (Schulman et al. 2017), or without a clip the vanilla `-mean(log pi(a|s) A)`.
 * At `-A r == -A clip(r)` the gradient goes through the unclipped term, as `tf.maximum`'s does.
 */
export class CategoricalPolicyLoss {
  /** d loss / d logits, `[maxBatch, numActions]`. Feed it to `MlpEngine.backward`. */
  readonly gradLogits: Float32Array;
  /** `policyLoss - entCoef * entropy` of the last batch. */
  loss = 0;
  policyLoss = 0;
  /** Mean entropy of the policy over the batch. */
  entropy = 0;
  /** mean((r - 1) - log r), the low-variance KL(old || new) estimator (clipped loss only, else 0). */
  approxKl = 0;
  /** mean(-log r) (clipped loss only, else 0). */
  oldApproxKl = 0;
  /** Share of samples whose ratio left [1 - eps, 1 + eps] (clipped loss only, else 0). */
  clipfrac = 0;

  constructor(
    readonly numActions: number,
    readonly maxBatch: number,
  ) {
    this.gradLogits = new Float32Array(maxBatch * numActions);
  }

  /**
   * The loss of `batch` samples. `oldLogProbs` and `clip`: PPO's clipped surrogate; `clip` null (and
   * `oldLogProbs` unused): the vanilla policy gradient (REINFORCE, A2C). `entCoef` weighs the entropy bonus.
   */
  compute(logits: Float32Array, batch: number, actions: Int32Array, advantages: Float32Array, oldLogProbs: Float32Array | null, clip: number | null, entCoef: number): void {
    if (!(batch >= 1 && batch <= this.maxBatch)) throw new InvalidInputError(`CategoricalPolicyLoss: batch must be in [1, ${this.maxBatch}], received ${batch}`);
    if (clip !== null && oldLogProbs === null) throw new InvalidInputError('CategoricalPolicyLoss: the clipped loss needs oldLogProbs');
    const n = this.numActions;
    const grad = this.gradLogits;
    let policySum = 0;
    let entropySum = 0;
    let klSum = 0;
    let oldKlSum = 0;
    let clipped = 0;
    for (let i = 0; i < batch; i++) {
      const row = i * n;
      const a = actions[i];
      if (!(a >= 0 && a < n)) throw new InvalidInputError(`CategoricalPolicyLoss: action ${a} of sample ${i} is outside [0, ${n})`);
      let max = logits[row];
      for (let j = 1; j < n; j++) if (logits[row + j] > max) max = logits[row + j];
      let sumExp = 0;
      for (let j = 0; j < n; j++) sumExp += Math.exp(logits[row + j] - max);
      const logZ = max + Math.log(sumExp);
      let entropy = 0;
      for (let j = 0; j < n; j++) {
        const logp = logits[row + j] - logZ;
        entropy -= Math.exp(logp) * logp;
      }
      const logpA = logits[row + a] - logZ;
      const adv = advantages[i];
      // d policyLoss_i / d log pi(a|s)
      let slope: number;
      if (clip === null) {
        policySum -= logpA * adv;
        slope = -adv;
      } else {
        const logRatio = logpA - (oldLogProbs as Float32Array)[i];
        const ratio = Math.exp(logRatio);
        const unclippedLoss = -adv * ratio;
        const clippedLoss = -adv * Math.min(Math.max(ratio, 1 - clip), 1 + clip);
        policySum += Math.max(unclippedLoss, clippedLoss);
        slope = unclippedLoss >= clippedLoss ? -adv * ratio : 0;
        klSum += ratio - 1 - logRatio;
        oldKlSum -= logRatio;
        if (Math.abs(ratio - 1) > clip) clipped++;
      }
      entropySum += entropy;
      // d log pi(a) / d z_j = [j = a] - p_j;  d H / d z_j = -p_j (log p_j + H)
      for (let j = 0; j < n; j++) {
        const logp = logits[row + j] - logZ;
        const p = Math.exp(logp);
        grad[row + j] = (slope * ((j === a ? 1 : 0) - p) + entCoef * p * (logp + entropy)) / batch;
      }
    }
    this.policyLoss = policySum / batch;
    this.entropy = entropySum / batch;
    this.loss = this.policyLoss - entCoef * this.entropy;
    this.approxKl = klSum / batch;
    this.oldApproxKl = oldKlSum / batch;
    this.clipfrac = clipped / batch;
  }
}

/**
 * The value loss `0.5 * mean((V - R)^2)`, or with `clip` PPO's clipped form (CleanRL `clip_vloss`)
 * `0.5 * mean(max((V - R)^2, (V_old + clip(V - V_old, -clip, clip) - R)^2))`, times `coef`, with its gradient.
 */
export class ValueLoss {
  /** d loss / d V, `[maxBatch]` (a value net's `[batch, 1]` output). */
  readonly gradValues: Float32Array;
  /** The last batch's loss, `coef` included. */
  loss = 0;

  constructor(readonly maxBatch: number) {
    this.gradValues = new Float32Array(maxBatch);
  }

  compute(values: Float32Array, batch: number, returns: Float32Array, oldValues: Float32Array | null, clip: number | null, coef = 1): void {
    if (!(batch >= 1 && batch <= this.maxBatch)) throw new InvalidInputError(`ValueLoss: batch must be in [1, ${this.maxBatch}], received ${batch}`);
    let sum = 0;
    for (let i = 0; i < batch; i++) {
      const d = values[i] - returns[i];
      const unclipped = d * d;
      let chosen = unclipped;
      let slope = d;
      if (clip !== null && oldValues !== null) {
        const old = oldValues[i];
        const dc = old + Math.min(Math.max(values[i] - old, -clip), clip) - returns[i];
        if (dc * dc > unclipped) {
          chosen = dc * dc;
          slope = 0; // strictly larger only when V - V_old is outside the clip range, where the clip is flat
        }
      }
      sum += chosen;
      this.gradValues[i] = (coef * slope) / batch;
    }
    this.loss = (coef * 0.5 * sum) / batch;
  }
}
