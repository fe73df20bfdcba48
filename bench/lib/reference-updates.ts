/**
 * Issue 9's three reference DQN updates (Adam, Huber TD loss with a target-network forward, clipping at 10: DQN's
 * defaults, agents/dqn/config.ts) and the random replay batches they are timed on. bench/peers/torch_updates.py
 * builds the same three in PyTorch under the same keys.
 */
import { Rng, type NetworkConfig } from '../../core/index.ts';
import { MlpQEngine, TfjsQEngine, resolveDQNConfig, type QEngine, type TdBatch } from '../../agents/index.ts';

export interface ReferenceUpdate {
  /** Key shared with the PyTorch peer's JSON. */
  key: 'update-mlp-small' | 'update-mlp-large' | 'update-nature-cnn' | 'update-mlp-128' | 'update-mlp-256';
  label: string;
  /** One observation's shape (NHWC for images). */
  inputShape: number[];
  actions: number;
  batch: number;
  network: NetworkConfig;
}

export const REFERENCE_UPDATES: readonly ReferenceUpdate[] = [
  { key: 'update-mlp-small', label: 'update MLP 4-64-64-2, batch 64', inputShape: [4], actions: 2, batch: 64, network: { hidden: [64, 64] } },
  { key: 'update-mlp-large', label: 'update MLP 400-256-256-6, batch 64', inputShape: [400], actions: 6, batch: 64, network: { hidden: [256, 256] } },
  {
    key: 'update-nature-cnn',
    label: 'update Nature CNN 4x84x84, batch 32',
    inputShape: [84, 84, 4],
    actions: 6,
    batch: 32,
    // Mnih et al. 2015: conv 32 8x8/4, 64 4x4/2, 64 3x3/1 ('valid'), dense 512.
    network: {
      conv: [
        { filters: 32, kernel: 8, stride: 4, padding: 'valid' },
        { filters: 64, kernel: 4, stride: 2, padding: 'valid' },
        { filters: 64, kernel: 3, stride: 1, padding: 'valid' },
      ],
      hidden: [512],
    },
  },
];

/**
 * Two more CartPole MLPs, between the small and the large reference: where the plain-TS engine stops beating
 * TF.js wasm (the measurement behind core/nn/mlp/choose-engine.ts's PLAIN_TS_MLP_LIMIT). The PyTorch peer skips them.
 */
export const CROSSOVER_UPDATES: readonly ReferenceUpdate[] = [
  { key: 'update-mlp-128', label: 'update MLP 4-128-128-2, batch 64', inputShape: [4], actions: 2, batch: 64, network: { hidden: [128, 128] } },
  { key: 'update-mlp-256', label: 'update MLP 4-256-256-2, batch 64', inputShape: [4], actions: 2, batch: 64, network: { hidden: [256, 256] } },
];

/** Whether the small-net engine can run `ref` (plain MLPs only). */
export const isPlainMlp = (ref: ReferenceUpdate): boolean => (ref.network.conv ?? []).length === 0;

/** DQN's network maths for `ref` on `engine`, with DQN's defaults and seed 1. `mlp` takes the current default sgemm. */
export function makeQEngine(ref: ReferenceUpdate, engine: 'tfjs' | 'mlp'): QEngine {
  const cfg = resolveDQNConfig({ batchSize: ref.batch, network: ref.network, engine, seed: 1 });
  return engine === 'mlp' ? new MlpQEngine(cfg, ref.inputShape, ref.actions, cfg.network, 1) : new TfjsQEngine(cfg, ref.inputShape, ref.actions, cfg.network, 1);
}

/** A batch of uniform [-1, 1) observations and rewards, random actions, 5% terminal; the same for the same seed. */
export function randomTdBatch(ref: ReferenceUpdate, seed: number): TdBatch {
  const rng = new Rng(seed);
  const size = ref.batch;
  const obsSize = ref.inputShape.reduce((a, b) => a * b, 1);
  const fill = (n: number): Float32Array => Float32Array.from({ length: n }, () => 2 * rng.random() - 1);
  return {
    size,
    observations: fill(size * obsSize),
    nextObservations: fill(size * obsSize),
    actions: Int32Array.from({ length: size }, () => rng.int(ref.actions)),
    rewards: fill(size),
    discounts: null,
    notDone: Float32Array.from({ length: size }, () => (rng.random() < 0.05 ? 0 : 1)),
    weights: null,
    needTdErrors: false,
  };
}
