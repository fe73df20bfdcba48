import { Network, Optimizer, Rng, huberLoss, l2Penalty, mseLoss, tf, type NetworkConfig, type OptimizerState } from '../../core/index.ts';
import type { DQNConfig } from './config.ts';
import type { QEngine, TdBatch, TdStepResult } from './q-engine.ts';

/** DQN's networks and update on TF.js: any `Network` (conv, dueling, MLP). */
export class TfjsQEngine implements QEngine {
  readonly kind = 'tfjs';
  readonly online: Network;
  readonly target: Network;
  readonly optimizer: Optimizer;
  private tdErrors: Float32Array = new Float32Array(0);

  constructor(
    private readonly cfg: DQNConfig,
    private readonly inputShape: readonly number[],
    private readonly numActions: number,
    network: NetworkConfig,
    initSeed: number,
  ) {
    this.online = new Network(inputShape, numActions, network, new Rng(initSeed), 'online');
    this.target = new Network(inputShape, numActions, network, new Rng(initSeed), 'target');
    this.target.copyFrom(this.online);
    this.optimizer = new Optimizer({ name: cfg.optimizer, learningRate: cfg.learningRate });
  }

  qValues(row: Float32Array): Float32Array {
    return tf.tidy(() => this.online.apply(tf.tensor(row, [1, ...this.inputShape])).dataSync() as Float32Array);
  }

  trainStep(batch: TdBatch): TdStepResult {
    const cfg = this.cfg;
    const B = batch.size;
    const shape = [B, ...this.inputShape];
    const result = tf.tidy(() => {
      const obs = tf.tensor(batch.observations, shape);
      const next = tf.tensor(batch.nextObservations, shape);
      const actions = tf.oneHot(tf.tensor1d(batch.actions, 'int32'), this.numActions);
      const targetNext = this.target.apply(next);
      const nextQ = cfg.doubleQ
        ? targetNext.mul(tf.oneHot(this.online.apply(next).argMax(1) as tf.Tensor1D, this.numActions)).sum(1)
        : targetNext.max(1);
      const discount = batch.discounts !== null ? tf.tensor1d(batch.discounts) : tf.scalar(cfg.gamma);
      const y = tf.tensor1d(batch.rewards).add(nextQ.mul(discount).mul(tf.tensor1d(batch.notDone))) as tf.Tensor1D;
      const weights = batch.weights !== null ? tf.tensor1d(batch.weights) : undefined;
      let qTaken: tf.Tensor1D | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const qa = this.online.apply(obs).mul(actions).sum(1) as tf.Tensor1D;
        qTaken = tf.keep(qa);
        const td = cfg.loss === 'huber' ? huberLoss(qa, y, weights) : mseLoss(qa, y, weights);
        return cfg.l2 > 0 ? (td.add(l2Penalty(this.online.variables, cfg.l2)) as tf.Scalar) : td;
      }, this.online.variables);
      this.optimizer.apply(this.online.variables, this.online.variables.map((v) => grads[v.name]), { maxGradNorm: cfg.maxGradNorm });
      const taken = qTaken as tf.Tensor1D;
      const tdError = taken.sub(y);
      const qMean = taken.mean();
      taken.dispose();
      return { loss: value, qMean, tdError };
    });
    const loss = result.loss.dataSync()[0];
    const qMean = result.qMean.dataSync()[0];
    if (batch.needTdErrors) this.tdErrors = result.tdError.dataSync() as Float32Array;
    tf.dispose([result.loss, result.qMean, result.tdError]);
    return { loss, qMean, tdErrors: this.tdErrors };
  }

  updateTarget(tau: number): void {
    if (tau >= 1) this.target.copyFrom(this.online);
    else this.target.polyakFrom(this.online, tau);
  }

  setOptimizerState(state: OptimizerState): void {
    this.optimizer.setState(state, this.online.variables);
  }

  dispose(): void {
    this.online.dispose();
    this.target.dispose();
    this.optimizer.dispose();
  }
}
