import { InvalidInputError } from '../../errors.ts';

/** Which per-sample TD loss: Huber with delta 1 (torch `smooth_l1_loss`, SB3) or squared error (CleanRL). */
export type TdLossKind = 'huber' | 'mse';

/**
 * The DQN TD loss on the Q-values of the taken actions, with its gradient: `mean_i w_i * loss(q[i, a_i] - y_i)`
 * (`w` = 1 without importance weights), as `huberLoss` / `mseLoss` of core/nn/losses.ts on `Q(s, a)` gathered by
 * action. Buffers are allocated once for batches up to `maxBatch`.
 */
export class TdLoss {
  /** d loss / d Q, `[maxBatch, numActions]`: zero except at each row's taken action. Feed it to `MlpEngine.backward`. */
  readonly gradQ: Float32Array;
  /** `q[i, a_i] - y_i` per sample (new priorities for prioritized replay). */
  readonly tdErrors: Float32Array;
  /** The loss of the last batch (a field rather than a return value, so that computing it allocates nothing). */
  loss = 0;
  /** Mean Q-value of the taken actions in the last batch. */
  qMean = 0;

  constructor(
    readonly kind: TdLossKind,
    readonly numActions: number,
    readonly maxBatch: number,
  ) {
    this.gradQ = new Float32Array(maxBatch * numActions);
    this.tdErrors = new Float32Array(maxBatch);
  }

  /**
   * The loss of `batch` samples of `q` (`[batch, numActions]`) against `targets`, into `loss`; fills `gradQ`,
   * `tdErrors` and `qMean`. `weights`: importance-sampling weights (prioritized replay), or null.
   */
  compute(q: Float32Array, batch: number, actions: Int32Array, targets: Float32Array, weights: Float32Array | null): void {
    if (!(batch >= 1 && batch <= this.maxBatch)) throw new InvalidInputError(`TdLoss: batch must be in [1, ${this.maxBatch}], received ${batch}`);
    const n = this.numActions;
    const grad = this.gradQ;
    grad.fill(0, 0, batch * n);
    const huber = this.kind === 'huber';
    let loss = 0;
    let qSum = 0;
    for (let i = 0; i < batch; i++) {
      const a = actions[i];
      if (!(a >= 0 && a < n)) throw new InvalidInputError(`TdLoss: action ${a} of sample ${i} is outside [0, ${n})`);
      const qa = q[i * n + a];
      const d = qa - targets[i];
      const w = weights === null ? 1 : weights[i];
      let per: number;
      let slope: number;
      if (huber) {
        const ad = Math.abs(d);
        per = ad <= 1 ? 0.5 * d * d : ad - 0.5;
        slope = ad <= 1 ? d : Math.sign(d);
      } else {
        per = d * d;
        slope = 2 * d;
      }
      loss += w * per;
      grad[i * n + a] = (w * slope) / batch;
      this.tdErrors[i] = d;
      qSum += qa;
    }
    this.qMean = qSum / batch;
    this.loss = loss / batch;
  }
}

/**
 * One-step (or n-step) bootstrapped targets `y = r + discount * notDone * Q_target(s', a*)`, with `a*` the argmax
 * of `nextQOnline` (Double DQN, van Hasselt et al. 2016) or of `nextQTarget` itself when it is null.
 * `discounts` per sample (n-step) or one `gamma` for all.
 */
export function bootstrapTargets(
  nextQTarget: Float32Array,
  nextQOnline: Float32Array | null,
  numActions: number,
  batch: number,
  rewards: Float32Array,
  discounts: Float32Array | number,
  notDone: Float32Array,
  out: Float32Array,
): void {
  const chooser = nextQOnline ?? nextQTarget;
  for (let i = 0; i < batch; i++) {
    const row = i * numActions;
    let best = 0;
    for (let a = 1; a < numActions; a++) if (chooser[row + a] > chooser[row + best]) best = a;
    const discount = typeof discounts === 'number' ? discounts : discounts[i];
    out[i] = rewards[i] + discount * notDone[i] * nextQTarget[row + best];
  }
}
