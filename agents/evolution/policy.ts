import { z } from 'zod';
import { Box, Discrete, InvalidInputError, MlpEngine, Rng, type Activation, type Space } from '../../core/index.ts';
import { parseOrThrow } from './base-strategy.ts';

/** A policy network as plain JSON, so that any worker can rebuild it. */
export interface MlpPolicySpec {
  kind: 'mlp';
  /** Hidden layer widths; `[]` is a linear policy. */
  hidden: number[];
  /** Activation of every hidden layer. */
  activation: Activation;
}

export const mlpPolicySpecSchema = z.strictObject({
  kind: z.literal('mlp'),
  hidden: z.array(z.number().int().positive()),
  activation: z.enum(['relu', 'tanh', 'elu', 'sigmoid', 'linear']),
});

/** What a policy returns: an action index (Discrete) or the policy's own action buffer (Box; overwritten next call). */
export type PolicyAction = number | Float32Array;

/**
 * An MLP policy whose weights are a genome, run on `MlpEngine` (typed arrays, no allocation per step). The genome
 * is `MlpEngine.params`, laid out as the TF.js `Network`'s weights (`toWeights` gives `Network.setWeights` input),
 * so an evolved policy can be loaded into the agents' networks.
 *
 * - Observations: a `Box` (flattened; uint8 values are passed as they are) or a `Discrete` (one-hot).
 * - Actions: `Discrete` takes the argmax of the outputs (ties: the first); a `Box` with finite bounds takes
 *   `low + (tanh(out) + 1) / 2 * (high - low)`.
 */
export class MlpPolicy {
  readonly spec: MlpPolicySpec;
  readonly engine: MlpEngine;
  private readonly input: Float32Array;
  private readonly observe: (observation: unknown) => void;
  private readonly discreteStart: number | undefined;
  private readonly boxLow: Float32Array | undefined;
  private readonly boxHigh: Float32Array | undefined;
  private readonly action: Float32Array;

  constructor(spec: MlpPolicySpec, observationSpace: Space<unknown>, actionSpace: Space<unknown>) {
    this.spec = parseOrThrow(mlpPolicySpecSchema, spec, 'MlpPolicy spec');
    let inputSize: number;
    if (observationSpace instanceof Box) {
      inputSize = observationSpace.size;
      this.observe = (o) => this.input.set(o as ArrayLike<number>);
    } else if (observationSpace instanceof Discrete) {
      inputSize = observationSpace.n;
      const start = observationSpace.start;
      this.observe = (o) => {
        this.input.fill(0);
        this.input[(o as number) - start] = 1;
      };
    } else {
      throw new InvalidInputError(`MlpPolicy: observations must come from a Box or a Discrete space, received ${observationSpace.constructor.name}; flatten them first (FlattenObservation)`);
    }
    let outputSize: number;
    if (actionSpace instanceof Discrete) {
      outputSize = actionSpace.n;
      this.discreteStart = actionSpace.start;
    } else if (actionSpace instanceof Box) {
      outputSize = actionSpace.size;
      const bad = Array.from(actionSpace.low).findIndex((v, i) => !Number.isFinite(v) || !Number.isFinite(actionSpace.high[i]));
      if (bad >= 0) throw new InvalidInputError(`MlpPolicy: a Box action space needs finite bounds to scale tanh outputs into; index ${bad} is [${actionSpace.low[bad]}, ${actionSpace.high[bad]}]`);
      this.boxLow = actionSpace.low;
      this.boxHigh = actionSpace.high;
    } else {
      throw new InvalidInputError(`MlpPolicy: actions must come from a Discrete or a Box space, received ${actionSpace.constructor.name}`);
    }
    this.input = new Float32Array(inputSize);
    this.action = new Float32Array(this.boxLow === undefined ? 0 : outputSize);
    this.engine = new MlpEngine({ inputSize, hidden: this.spec.hidden, outputSize, activation: this.spec.activation }, new Rng(0), 1);
  }

  /** Genome length: every weight and bias. */
  get parameterCount(): number {
    return this.engine.parameterCount;
  }

  /** Network's initial weights for `seed` (torch-style uniform, as the agents), as a genome. */
  initialGenome(seed: number): Float32Array {
    const fresh = new MlpEngine(this.engine.spec, new Rng(seed), 1);
    return fresh.params.slice();
  }

  /** Loads a genome as the weights. */
  setGenome(genome: ArrayLike<number>): void {
    if (genome.length !== this.parameterCount) throw new InvalidInputError(`MlpPolicy: genome has length ${genome.length}, this network (${this.describe()}) has ${this.parameterCount} parameters`);
    this.engine.params.set(genome);
  }

  /** The action for one observation, from the loaded genome. */
  act(observation: unknown): PolicyAction {
    this.observe(observation);
    const out = this.engine.forward(this.input, 1);
    if (this.discreteStart !== undefined) {
      let best = 0;
      for (let i = 1; i < this.engine.outputSize; i++) if (out[i] > out[best]) best = i;
      return best + this.discreteStart;
    }
    const low = this.boxLow as Float32Array;
    const high = this.boxHigh as Float32Array;
    for (let i = 0; i < this.action.length; i++) this.action[i] = low[i] + ((Math.tanh(out[i]) + 1) / 2) * (high[i] - low[i]);
    return this.action;
  }

  /** The loaded genome by parameter name, the format of `Network.setWeights` (to fine-tune with backprop). */
  toWeights(): Record<string, Float32Array> {
    return this.engine.getWeights();
  }

  /** Loads weights by name (`Network.getWeights` output) and returns them as a genome. */
  fromWeights(weights: Record<string, Float32Array>): Float32Array {
    this.engine.setWeights(weights);
    return this.engine.params.slice();
  }

  private describe(): string {
    return [this.engine.inputSize, ...this.spec.hidden, this.engine.outputSize].join('-');
  }
}
