import type { Env, EpisodeStatistics, ResetOptions, ResetResult, StepResult } from '../env.ts';
import { Wrapper } from './wrapper.ts';

/**
 * Adds `info.episode = { r, l, t }` (return, length, seconds) on the step that ends an episode,
 * and keeps the last `bufferLength` returns and lengths (Gymnasium `RecordEpisodeStatistics`).
 */
export class RecordEpisodeStatistics<O, A> extends Wrapper<O, A> {
  /** Returns of the most recent episodes, oldest first. */
  readonly returnQueue: number[] = [];
  /** Lengths of the most recent episodes, oldest first. */
  readonly lengthQueue: number[] = [];
  /** Episodes finished since this wrapper was made. */
  episodeCount = 0;
  private episodeReturn = 0;
  private episodeLength = 0;
  private startTime = 0;

  constructor(env: Env<O, A>, readonly bufferLength = 100) {
    super(env);
  }

  override reset(opts?: ResetOptions): ResetResult<O> {
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.startTime = performance.now();
    return this.env.reset(opts);
  }

  override step(action: A): StepResult<O> {
    const result = this.env.step(action);
    this.episodeReturn += result.reward;
    this.episodeLength++;
    if (result.terminated || result.truncated) {
      const episode: EpisodeStatistics = { r: this.episodeReturn, l: this.episodeLength, t: (performance.now() - this.startTime) / 1000 };
      // A new info object: the env's may be shared or frozen.
      result.info = { ...result.info, episode };
      this.push(this.returnQueue, episode.r);
      this.push(this.lengthQueue, episode.l);
      this.episodeCount++;
    }
    return result;
  }

  private push(queue: number[], value: number): void {
    queue.push(value);
    if (queue.length > this.bufferLength) queue.shift();
  }
}
