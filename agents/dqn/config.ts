import { z } from 'zod';
import { InvalidInputError, formatZodError, type NetworkConfig, type OptimizerName } from '../../core/index.ts';

/**
 * Everything that shapes a DQN run. Defaults are Stable-Baselines3's `DQN` (v2), which follows Mnih et al. 2015
 * ("Human-level control through deep reinforcement learning") where it can; each field names its source.
 */
export interface DQNConfig {
  /** Adam step size. SB3: 1e-4. */
  learningRate: number;
  /** Decay the learning rate linearly to this fraction of `learningRate` by the end of training. 1 = constant (SB3). */
  learningRateFinalFraction: number;
  /** Optimizer by name. SB3 and CleanRL: Adam (Mnih et al. 2015 used RMSprop). */
  optimizer: OptimizerName;
  /** Transitions kept in the replay buffer. SB3: 1e6 (Mnih et al. 2015: 1e6). */
  bufferSize: number;
  /** Env steps of pure exploration before learning begins. SB3: 100. */
  learningStarts: number;
  /** Transitions per gradient step. SB3: 32 (Mnih et al. 2015: 32). */
  batchSize: number;
  /** Target network update coefficient: 1 = hard copy every `targetUpdateInterval` steps, < 1 = Polyak. SB3: 1.0. */
  tau: number;
  /** Discount factor. SB3: 0.99 (Mnih et al. 2015: 0.99). */
  gamma: number;
  /** Env steps between training phases. SB3: 4 (Mnih et al. 2015: 4). */
  trainFreq: number;
  /** Gradient steps per training phase. SB3: 1. */
  gradientSteps: number;
  /** Env steps between target network updates. SB3: 10,000 (Mnih et al. 2015: 10,000). */
  targetUpdateInterval: number;
  /** Fraction of training over which epsilon falls from initial to final. SB3: 0.1. */
  explorationFraction: number;
  /** Epsilon at the start. SB3: 1.0. */
  explorationInitialEps: number;
  /** Epsilon after `explorationFraction`. SB3: 0.05 (Mnih et al. 2015: 0.1). */
  explorationFinalEps: number;
  /** Clip the global gradient norm to this. SB3: 10. */
  maxGradNorm: number;
  /** TD loss. SB3: huber (smooth L1); CleanRL: mse. */
  loss: 'huber' | 'mse';
  /** L2 penalty coefficient added to the loss. 0 (SB3). */
  l2: number;
  /** Double DQN targets (van Hasselt et al. 2016). SB3: off. */
  doubleQ: boolean;
  /** Dueling head (Wang et al. 2016). SB3: off. */
  dueling: boolean;
  /** n-step returns (Sutton 1988; Rainbow uses 3). SB3: 1. */
  nStep: number;
  /** Prioritized replay (Schaul et al. 2016). SB3: off. */
  prioritized: boolean;
  /** Prioritisation exponent. Schaul et al. 2016: 0.6. */
  priorityAlpha: number;
  /** Importance-sampling exponent at the start, annealed to 1 by the end. Schaul et al. 2016: 0.4. */
  priorityBeta0: number;
  /** Network body. SB3: MLP [64, 64] with ReLU; images add the Nature-DQN convs (Mnih et al. 2015). */
  network: NetworkConfig;
  /**
   * What runs the network maths: `tfjs` (TF.js, any network), `mlp` (arcade-rl's typed-array engine, plain MLPs
   * only: several times faster for small nets), `auto` (`mlp` where `prefersMlpEngine` says it is faster, else
   * `tfjs`). Default `tfjs` (the engine DQN's learning tests were tuned on). Named `engine` because `network`
   * already holds the architecture.
   */
  engine: 'auto' | 'tfjs' | 'mlp';
  /** Seed of everything random in the agent (network init, exploration, replay sampling, env resets). */
  seed: number;
}

export const DQN_DEFAULTS: DQNConfig = {
  learningRate: 1e-4,
  learningRateFinalFraction: 1,
  optimizer: 'adam',
  bufferSize: 1_000_000,
  learningStarts: 100,
  batchSize: 32,
  tau: 1,
  gamma: 0.99,
  trainFreq: 4,
  gradientSteps: 1,
  targetUpdateInterval: 10_000,
  explorationFraction: 0.1,
  explorationInitialEps: 1,
  explorationFinalEps: 0.05,
  maxGradNorm: 10,
  loss: 'huber',
  l2: 0,
  doubleQ: false,
  dueling: false,
  nStep: 1,
  prioritized: false,
  priorityAlpha: 0.6,
  priorityBeta0: 0.4,
  network: { hidden: [64, 64], activation: 'relu' },
  engine: 'tfjs',
  seed: 1,
};

const positive = z.number().positive();
const positiveInt = z.number().int().positive();
const unit = z.number().min(0).max(1);

const networkSchema = z.object({
  conv: z.array(z.object({ filters: positiveInt, kernel: positiveInt, stride: positiveInt, padding: z.enum(['same', 'valid']).optional() })).optional(),
  hidden: z.array(positiveInt),
  activation: z.enum(['relu', 'tanh', 'elu', 'sigmoid', 'linear']).optional(),
  dueling: z.boolean().optional(),
  init: z.enum(['torch', 'orthogonal']).optional(),
  outputGain: z.number().optional(),
});

export const dqnConfigSchema = z.object({
  learningRate: positive,
  learningRateFinalFraction: unit,
  optimizer: z.enum(['sgd', 'momentum', 'rmsprop', 'adam', 'adamw']),
  bufferSize: positiveInt,
  learningStarts: z.number().int().min(0),
  batchSize: positiveInt,
  tau: z.number().gt(0).max(1),
  gamma: unit,
  trainFreq: positiveInt,
  gradientSteps: positiveInt,
  targetUpdateInterval: positiveInt,
  explorationFraction: z.number().gt(0).max(1),
  explorationInitialEps: unit,
  explorationFinalEps: unit,
  maxGradNorm: positive,
  loss: z.enum(['huber', 'mse']),
  l2: z.number().min(0),
  doubleQ: z.boolean(),
  dueling: z.boolean(),
  nStep: positiveInt,
  prioritized: z.boolean(),
  priorityAlpha: z.number().min(0),
  priorityBeta0: unit,
  network: networkSchema,
  engine: z.enum(['auto', 'tfjs', 'mlp']),
  seed: z.number().int().min(0),
}).strict();

/** Defaults overlaid with `partial`, validated: an error names the field, what was expected and what came. */
export function resolveDQNConfig(partial: Partial<DQNConfig> = {}): DQNConfig {
  const merged = { ...DQN_DEFAULTS, ...partial, network: { ...DQN_DEFAULTS.network, ...(partial.network ?? {}) } };
  const parsed = dqnConfigSchema.safeParse(merged);
  if (!parsed.success) throw new InvalidInputError(`DQN config: ${formatZodError(parsed.error)}`);
  const cfg = parsed.data as DQNConfig;
  if (cfg.engine === 'mlp' && ((cfg.network.conv ?? []).length > 0 || cfg.dueling || cfg.network.dueling === true)) {
    throw new InvalidInputError(`DQN config: engine: 'mlp' runs plain MLPs only (no conv layers, no dueling head); use engine 'tfjs' or 'auto'`);
  }
  return cfg;
}
