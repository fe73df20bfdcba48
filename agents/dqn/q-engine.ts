import type { MlpEngine, Network, OptimizerState } from '../../core/index.ts';

/** One replay batch as the TD update needs it, every array `[size, ...]` row-major and valid for the call only. */
export interface TdBatch {
  size: number;
  /** Encoded network inputs, `[size, inputSize]`. */
  observations: Float32Array;
  nextObservations: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  /** Per-sample bootstrap discounts (n-step), or null to use gamma. */
  discounts: Float32Array | null;
  /** 0 where the episode terminated (no bootstrap), else 1. */
  notDone: Float32Array;
  /** Importance-sampling weights (prioritized replay), or null. */
  weights: Float32Array | null;
  /** Whether the caller reads `tdErrors` (prioritized replay); TF.js skips reading them back otherwise. */
  needTdErrors: boolean;
}

/** Figures of the last `trainStep`. */
export interface TdStepResult {
  loss: number;
  /** Mean Q of the taken actions. */
  qMean: number;
  /** `Q(s, a) - y` per sample, `[size]` (new priorities) when `needTdErrors`; valid until the next step. */
  tdErrors: Float32Array;
}

/** The network maths DQN runs on: TF.js (`tfjs`) or the typed-array MLP engine (`mlp`). */
export interface QEngine {
  readonly kind: 'tfjs' | 'mlp';
  readonly online: Network | MlpEngine;
  readonly target: Network | MlpEngine;
  /** The optimizer's state in `Optimizer.getState`'s format (the same on both engines) and its learning rate. */
  readonly optimizer: { learningRate: number; getState(): OptimizerState };
  /** Q-values of one encoded observation; the returned array may be reused by the next call. */
  qValues(row: Float32Array): Float32Array;
  /** One gradient step of the TD loss on `batch` (with the target-network forward and gradient clipping). */
  trainStep(batch: TdBatch): TdStepResult;
  /** Hard copy (`tau` >= 1) or Polyak average of the online network into the target network. */
  updateTarget(tau: number): void;
  setOptimizerState(state: OptimizerState): void;
  dispose(): void;
}
