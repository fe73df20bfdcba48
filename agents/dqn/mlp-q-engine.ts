import { FlatOptimizer, MlpEngine, Rng, TdLoss, bootstrapTargets, type NetworkConfig, type OptimizerState } from '../../core/index.ts';
import type { DQNConfig } from './config.ts';
import type { QEngine, TdBatch, TdStepResult } from './q-engine.ts';

/**
 * DQN's networks and update on the typed-array MLP engine (plain MLPs only): the same maths as `TfjsQEngine`
 * (TD loss gathered by action, Double DQN, n-step discounts, importance weights, L2, global-norm clipping), with
 * every buffer allocated here once, so an update allocates nothing.
 */
export class MlpQEngine implements QEngine {
  readonly kind = 'mlp';
  readonly online: MlpEngine;
  readonly target: MlpEngine;
  readonly optimizer: FlatOptimizer;
  private readonly loss: TdLoss;
  private readonly targets: Float32Array;
  /** Online Q of the next observations (Double DQN), copied out of the engine's output buffer. */
  private readonly nextOnline: Float32Array;
  private readonly clip: { maxGradNorm: number };
  private readonly result: TdStepResult;
  private readonly qRow: Float32Array;

  constructor(
    private readonly cfg: DQNConfig,
    inputShape: readonly number[],
    private readonly numActions: number,
    network: NetworkConfig,
    initSeed: number,
  ) {
    const B = cfg.batchSize;
    this.online = MlpEngine.fromNetworkConfig(inputShape, numActions, network, new Rng(initSeed), B);
    this.target = MlpEngine.fromNetworkConfig(inputShape, numActions, network, new Rng(initSeed), B);
    this.optimizer = new FlatOptimizer({ name: cfg.optimizer, learningRate: cfg.learningRate }, this.online.segmentSizes);
    this.loss = new TdLoss(cfg.loss, numActions, B);
    this.targets = new Float32Array(B);
    this.nextOnline = new Float32Array(B * numActions);
    this.clip = { maxGradNorm: cfg.maxGradNorm };
    this.result = { loss: 0, qMean: 0, tdErrors: this.loss.tdErrors };
    this.qRow = new Float32Array(numActions);
  }

  qValues(row: Float32Array): Float32Array {
    const out = this.online.forward(row, 1);
    for (let a = 0; a < this.numActions; a++) this.qRow[a] = out[a];
    return this.qRow;
  }

  trainStep(batch: TdBatch): TdStepResult {
    const B = batch.size;
    const cfg = this.cfg;
    let chooser: Float32Array | null = null;
    if (cfg.doubleQ) {
      const q = this.online.forward(batch.nextObservations, B);
      for (let i = 0; i < B * this.numActions; i++) this.nextOnline[i] = q[i];
      chooser = this.nextOnline;
    }
    const nextTarget = this.target.forward(batch.nextObservations, B);
    bootstrapTargets(nextTarget, chooser, this.numActions, B, batch.rewards, batch.discounts ?? cfg.gamma, batch.notDone, this.targets);
    const q = this.online.forward(batch.observations, B);
    this.loss.compute(q, B, batch.actions, this.targets, batch.weights);
    this.online.backward(this.loss.gradQ);
    let loss = this.loss.loss;
    if (cfg.l2 > 0) loss += this.addL2();
    this.optimizer.apply(this.online.params, this.online.grads, this.clip);
    this.result.loss = loss;
    this.result.qMean = this.loss.qMean;
    return this.result;
  }

  updateTarget(tau: number): void {
    if (tau >= 1) this.target.copyFrom(this.online);
    else this.target.polyakFrom(this.online, tau);
  }

  setOptimizerState(state: OptimizerState): void {
    this.optimizer.setState(state);
  }

  dispose(): void {}

  /** `l2 * sum w^2` over every parameter (biases included, as `l2Penalty`): adds its gradient, returns its value. */
  private addL2(): number {
    const p = this.online.params;
    const g = this.online.grads;
    const coef = this.cfg.l2;
    let sum = 0;
    for (let i = 0; i < p.length; i++) {
      sum += p[i] * p[i];
      g[i] += 2 * coef * p[i];
    }
    return coef * sum;
  }
}
