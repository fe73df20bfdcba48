import { InvalidInputError, readCheckpoint, spaceFromJSON, type CheckpointData, type JsonValue, type Optimizer, type OptimizerState, type Rng, type RngState, type Space } from '../../core/index.ts';
import type { ActorCriticPolicy } from './policy.ts';

/** Version of the policy-gradient checkpoint layout (meta + `policy/*` and `optimizer/*` arrays). */
export const PG_CHECKPOINT_VERSION = 1;

/** Counters every policy-gradient agent keeps and restores. */
export interface PGCounters {
  numTimesteps: number;
  updates: number;
  episodes: number;
}

/** What every policy-gradient agent puts in its checkpoint. */
export interface PGCheckpointParts {
  kind: string;
  config: object;
  counters: PGCounters;
  policy: ActorCriticPolicy;
  optimizer: Optimizer;
  rng: Rng;
  observationSpace: Space<unknown>;
  actionSpace: Space<unknown>;
  envId: string | null;
}

/** Weights, optimizer state, RNG state, counters, config and spaces, as `writeCheckpoint` takes them. */
export function pgCheckpoint(parts: PGCheckpointParts): CheckpointData {
  const arrays: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(parts.policy.getWeights())) arrays[`policy/${k}`] = v;
  const opt = parts.optimizer.getState();
  for (const [k, v] of Object.entries(opt.slots)) arrays[`optimizer/${k}`] = v;
  const meta: { [key: string]: JsonValue } = {
    version: PG_CHECKPOINT_VERSION,
    config: parts.config as unknown as JsonValue,
    counters: { ...parts.counters },
    rng: parts.rng.getState() as unknown as JsonValue,
    optimizer: { name: opt.name, step: opt.step, learningRate: opt.learningRate },
    observationSpace: parts.observationSpace.toJSON() as unknown as JsonValue,
    actionSpace: parts.actionSpace.toJSON() as unknown as JsonValue,
    envId: parts.envId,
  };
  return { kind: parts.kind, meta, arrays };
}

/** A checkpoint read and checked against the env's spaces: what `restorePGCheckpoint` applies. */
export interface LoadedPGCheckpoint {
  config: Record<string, unknown>;
  apply(target: { policy: ActorCriticPolicy; optimizer: Optimizer; rng: Rng }): PGCounters;
}

/**
 * Reads a policy-gradient checkpoint of `kind` at `path`; a checkpoint of another kind, another layout version, or
 * spaces that differ from the env's is an `InvalidInputError` naming the mismatch.
 */
export function readPGCheckpoint(path: string, kind: string, spaces: { observationSpace: Space<unknown>; actionSpace: Space<unknown> }): LoadedPGCheckpoint {
  const ckpt = readCheckpoint(path, { expectKind: kind });
  const meta = ckpt.meta as Record<string, unknown>;
  if (meta.version !== PG_CHECKPOINT_VERSION) throw new InvalidInputError(`${path}: ${kind} checkpoint version ${String(meta.version)}, this arcade-rl reads ${PG_CHECKPOINT_VERSION}`);
  for (const which of ['observationSpace', 'actionSpace'] as const) {
    const saved = spaceFromJSON(meta[which]).toString();
    const now = spaces[which].toString();
    if (saved !== now) throw new InvalidInputError(`${path}: the checkpoint's ${which} is ${saved}, the env's is ${now}`);
  }
  const pick = (prefix: string): Record<string, Float32Array> => {
    const out: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(ckpt.arrays)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v as Float32Array;
    return out;
  };
  return {
    config: meta.config as Record<string, unknown>,
    apply({ policy, optimizer, rng }) {
      policy.setWeights(pick('policy/'));
      const opt = meta.optimizer as { name: OptimizerState['name']; step: number; learningRate: number };
      optimizer.setState({ ...opt, slots: pick('optimizer/') }, policy.variables);
      rng.setState(meta.rng as RngState);
      const c = meta.counters as PGCounters;
      return { numTimesteps: c.numTimesteps, updates: c.updates, episodes: c.episodes };
    },
  };
}
