import type { CheckpointData } from '../../core/index.ts';
import type { Policy } from './evaluate.ts';

/** What the runner needs of an agent: every trainable agent implements it. */
export interface Learner<Obs = unknown, Act = unknown> extends Policy<Obs, Act> {
  /** Env steps trained so far, over all `learn` calls and resumes. */
  numTimesteps: number;
  learn(opts: { totalTimesteps: number; callbacks?: LearnerCallbacks }): Promise<unknown>;
  save(path: string, opts?: { includeReplay?: boolean }): Promise<void>;
  /** What `save` writes: weights, optimizer and RNG state, counters, optionally the replay buffer. */
  toCheckpoint(opts?: { includeReplay?: boolean }): CheckpointData;
  /** Optional per-step annotations for recorded episodes (e.g. Q-values). */
  annotate?(observation: Obs): Record<string, number[] | number>;
  dispose?(): void;
}

/** The callbacks every learner calls; each may return a promise. */
export interface LearnerCallbacks {
  /** After every env step; return false to stop. */
  onStep?(step: number): boolean | void | Promise<boolean | void>;
  onEpisode?(report: { step: number; episodeReturn: number; length: number; terminated: boolean }): void | Promise<void>;
  /** After every training phase, with namespaced metrics (`losses/td_loss`, ...). */
  onTrain?(report: { step: number; metrics: Record<string, number> }): void | Promise<void>;
}
