import { z } from 'zod';
import { InvalidInputError, formatZodError, type NetworkConfig, type OptimizerName } from '../../core/index.ts';

/** How the policy (and value function) are built; shared by PPO, A2C and REINFORCE. */
export interface PolicyConfig {
  /** Body of the actor and critic. CleanRL ppo.py: MLP [64, 64], tanh, orthogonal init (SB3 MlpPolicy the same). Images: add `conv`. */
  network: NetworkConfig;
  /** One body with a policy head and a value head (true), or separate actor and critic networks (false). CleanRL ppo.py and SB3 (v1.8+): separate. */
  sharedNetwork: boolean;
  /** Continuous actions: initial value of the state-independent log standard deviation. CleanRL ppo_continuous_action.py and SB3: 0. */
  logStdInit: number;
}

/** PPO (Schulman et al. 2017). Defaults are CleanRL `ppo.py` (Atari-free classic-control settings); each field names its source. */
export interface PPOConfig extends PolicyConfig {
  /** Adam step size. CleanRL ppo.py: 2.5e-4 (SB3: 3e-4). */
  learningRate: number;
  /** Anneal the learning rate linearly to 0 over training. CleanRL ppo.py: true. */
  annealLr: boolean;
  /** Adam epsilon. CleanRL ppo.py: 1e-5 (as OpenAI baselines). */
  adamEpsilon: number;
  /** Optimizer by name. CleanRL, SB3: adam. */
  optimizer: OptimizerName;
  /** Env steps per sub-env per rollout. CleanRL ppo.py: 128 (SB3: 2048). */
  numSteps: number;
  /** Discount factor. CleanRL ppo.py: 0.99. */
  gamma: number;
  /** GAE lambda. CleanRL ppo.py: 0.95. */
  gaeLambda: number;
  /** Minibatches per epoch (the rollout, numSteps x numEnvs, is split into this many). CleanRL ppo.py: 4. */
  numMinibatches: number;
  /** Passes over each rollout. CleanRL ppo.py: 4 (SB3: 10). */
  updateEpochs: number;
  /** Normalise advantages per minibatch. CleanRL ppo.py: true. */
  normAdv: boolean;
  /** Policy ratio clip epsilon. CleanRL ppo.py: 0.2. */
  clipCoef: number;
  /** Anneal the clip epsilon linearly to 0 over training (RL Zoo's `lin_0.2`). CleanRL: false. */
  annealClip: boolean;
  /** Clip the value loss around the old values with `clipCoef`. CleanRL ppo.py: true (SB3: off). */
  clipVloss: boolean;
  /** Entropy bonus coefficient. CleanRL ppo.py: 0.01 (SB3: 0). */
  entCoef: number;
  /** Value loss coefficient. CleanRL ppo.py: 0.5. */
  vfCoef: number;
  /** Global gradient-norm clip. CleanRL ppo.py: 0.5. */
  maxGradNorm: number;
  /** Stop an update's epochs early once approx_kl exceeds this; null = never. CleanRL ppo.py: None. */
  targetKl: number | null;
  /** Seed of everything random in the agent (network init, action sampling, minibatch shuffles, env resets). */
  seed: number;
}

/** A2C (Mnih et al. 2016, synchronous). Defaults are Stable-Baselines3 `A2C`. */
export interface A2CConfig extends PolicyConfig {
  /** Step size. SB3 A2C: 7e-4. */
  learningRate: number;
  /** Anneal the learning rate linearly to 0 over training. SB3: false (constant). */
  annealLr: boolean;
  /** Optimizer. SB3 A2C: RMSprop (alpha 0.99, eps 1e-5). */
  optimizer: OptimizerName;
  /** Optimizer epsilon. SB3 A2C: 1e-5. */
  optimizerEpsilon: number;
  /** Env steps per sub-env between updates (n of the n-step return). SB3 A2C: 5. */
  numSteps: number;
  /** Discount factor. SB3: 0.99. */
  gamma: number;
  /** GAE lambda; 1 = plain n-step returns. SB3 A2C: 1. */
  gaeLambda: number;
  /** Normalise advantages per update. SB3 A2C: false. */
  normAdv: boolean;
  /** Entropy bonus coefficient. SB3 A2C: 0. */
  entCoef: number;
  /** Value loss coefficient. SB3 A2C: 0.5. */
  vfCoef: number;
  /** Global gradient-norm clip. SB3 A2C: 0.5. */
  maxGradNorm: number;
  /** Seed of everything random in the agent. */
  seed: number;
}

/**
 * REINFORCE (Williams 1992) on whole episodes. Defaults follow the TensorFlow.js cart-pole example
 * (tfjs-examples/cart-pole: one 128-unit ELU layer, Adam 0.05, discount 0.95, 20 games per update, normalised
 * returns), except the weight initialisation (see `REINFORCE_DEFAULTS.network`).
 */
export interface ReinforceConfig extends PolicyConfig {
  /** Adam step size. tfjs-examples cart-pole: 0.05. */
  learningRate: number;
  /** Optimizer. tfjs-examples cart-pole: adam. */
  optimizer: OptimizerName;
  /** Discount factor. tfjs-examples cart-pole: 0.95. */
  gamma: number;
  /** Episodes collected per gradient step. tfjs-examples cart-pole: 20 games per iteration. */
  episodesPerUpdate: number;
  /** Standardise the returns of each update's batch to mean 0, std 1. tfjs-examples cart-pole: true. */
  normalizeReturns: boolean;
  /** Learn a state-value baseline and subtract it (Williams 1992; Sutton & Barto 13.4). tfjs-examples: false. */
  baseline: boolean;
  /** Baseline (value) loss coefficient. SB3/CleanRL convention: 0.5. */
  vfCoef: number;
  /** Entropy bonus coefficient. tfjs-examples: 0. */
  entCoef: number;
  /** Global gradient-norm clip; null = none. tfjs-examples: none. */
  maxGradNorm: number | null;
  /** Seed of everything random in the agent. */
  seed: number;
}

const POLICY_DEFAULTS: PolicyConfig = {
  network: { hidden: [64, 64], activation: 'tanh', init: 'orthogonal' },
  sharedNetwork: false,
  logStdInit: 0,
};

export const PPO_DEFAULTS: PPOConfig = {
  ...POLICY_DEFAULTS,
  learningRate: 2.5e-4,
  annealLr: true,
  adamEpsilon: 1e-5,
  optimizer: 'adam',
  numSteps: 128,
  gamma: 0.99,
  gaeLambda: 0.95,
  numMinibatches: 4,
  updateEpochs: 4,
  normAdv: true,
  clipCoef: 0.2,
  annealClip: false,
  clipVloss: true,
  entCoef: 0.01,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  targetKl: null,
  seed: 1,
};

export const A2C_DEFAULTS: A2CConfig = {
  ...POLICY_DEFAULTS,
  learningRate: 7e-4,
  annealLr: false,
  optimizer: 'rmsprop',
  optimizerEpsilon: 1e-5,
  numSteps: 5,
  gamma: 0.99,
  gaeLambda: 1,
  normAdv: false,
  entCoef: 0,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  seed: 1,
};

export const REINFORCE_DEFAULTS: ReinforceConfig = {
  ...POLICY_DEFAULTS,
  // the example's layer; orthogonal init (policy head gain 0.01, so play starts near uniform) instead of Keras's
  // Glorot: with PyTorch's default init 2 of 3 seeds stalled near 40-55 steps after 200 games (bench/reinforce-vs-tfjs-example.ts)
  network: { hidden: [128], activation: 'elu', init: 'orthogonal' },
  learningRate: 0.05,
  optimizer: 'adam',
  gamma: 0.95,
  episodesPerUpdate: 20,
  normalizeReturns: true,
  baseline: false,
  vfCoef: 0.5,
  entCoef: 0,
  maxGradNorm: null,
  seed: 1,
};

const positive = z.number().positive();
const positiveInt = z.number().int().positive();
const unit = z.number().min(0).max(1);

const networkSchema = z
  .object({
    conv: z.array(z.object({ filters: positiveInt, kernel: positiveInt, stride: positiveInt, padding: z.enum(['same', 'valid']).optional() })).optional(),
    hidden: z.array(positiveInt).min(1),
    activation: z.enum(['relu', 'tanh', 'elu', 'sigmoid', 'linear']).optional(),
    init: z.enum(['torch', 'orthogonal']).optional(),
  })
  .strict();

const policyShape = { network: networkSchema, sharedNetwork: z.boolean(), logStdInit: z.number() };
const optimizerName = z.enum(['sgd', 'momentum', 'rmsprop', 'adam', 'adamw']);

const ppoSchema = z
  .object({
    ...policyShape,
    learningRate: positive,
    annealLr: z.boolean(),
    adamEpsilon: positive,
    optimizer: optimizerName,
    numSteps: positiveInt,
    gamma: unit,
    gaeLambda: unit,
    numMinibatches: positiveInt,
    updateEpochs: positiveInt,
    normAdv: z.boolean(),
    clipCoef: positive,
    annealClip: z.boolean(),
    clipVloss: z.boolean(),
    entCoef: z.number().min(0),
    vfCoef: z.number().min(0),
    maxGradNorm: positive,
    targetKl: positive.nullable(),
    seed: z.number().int().min(0),
  })
  .strict();

const a2cSchema = z
  .object({
    ...policyShape,
    learningRate: positive,
    annealLr: z.boolean(),
    optimizer: optimizerName,
    optimizerEpsilon: positive,
    numSteps: positiveInt,
    gamma: unit,
    gaeLambda: unit,
    normAdv: z.boolean(),
    entCoef: z.number().min(0),
    vfCoef: z.number().min(0),
    maxGradNorm: positive,
    seed: z.number().int().min(0),
  })
  .strict();

const reinforceSchema = z
  .object({
    ...policyShape,
    learningRate: positive,
    optimizer: optimizerName,
    gamma: unit,
    episodesPerUpdate: positiveInt,
    normalizeReturns: z.boolean(),
    baseline: z.boolean(),
    vfCoef: z.number().min(0),
    entCoef: z.number().min(0),
    maxGradNorm: positive.nullable(),
    seed: z.number().int().min(0),
  })
  .strict();

function resolve<C extends PolicyConfig>(name: string, defaults: C, schema: z.ZodType, partial: Partial<C>): C {
  const merged = { ...defaults, ...partial, network: { ...defaults.network, ...(partial.network ?? {}) } };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) throw new InvalidInputError(`${name} config: ${formatZodError(parsed.error)}`);
  return parsed.data as C;
}

/** Defaults overlaid with `partial`, validated: an error names the field, what was expected and what came. */
export function resolvePPOConfig(partial: Partial<PPOConfig> = {}): PPOConfig {
  return resolve('PPO', PPO_DEFAULTS, ppoSchema, partial);
}

/** Defaults overlaid with `partial`, validated. */
export function resolveA2CConfig(partial: Partial<A2CConfig> = {}): A2CConfig {
  return resolve('A2C', A2C_DEFAULTS, a2cSchema, partial);
}

/** Defaults overlaid with `partial`, validated. */
export function resolveReinforceConfig(partial: Partial<ReinforceConfig> = {}): ReinforceConfig {
  return resolve('REINFORCE', REINFORCE_DEFAULTS, reinforceSchema, partial);
}
