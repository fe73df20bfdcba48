import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.ts';
import { EnvContractError, InvalidInputError } from '../errors.ts';
import type { StepAnnotations } from '../episode/format.ts';
import { EpisodeWriter } from '../episode/writer.ts';
import { Wrapper, canRender, envName } from './wrapper.ts';

/** What the `annotate` option sees after each recorded step. */
export interface AnnotateContext<O, A> {
  episodeIndex: number;
  /** 0-based step number within the episode. */
  t: number;
  action: A;
  result: StepResult<O>;
}

export interface RecordEpisodesOptions<O, A> {
  /** Folder for the episode files; created (with parents) if missing. Existing files of the same name are replaced. */
  dir: string;
  /** Written into each header. Default: `env.spec?.id`, else the innermost env's class name. */
  envId?: string;
  /** Which episodes to record, by 0-based episode index. Default: every episode. */
  episodeTrigger?: (episodeIndex: number) => boolean;
  /**
   * File name (inside `dir`) for an episode, from its 0-based index.
   * Default: `episode-000001.jsonl` for index 0, `episode-000002.jsonl` for index 1, ...
   */
  nameTemplate?: (episodeIndex: number) => string;
  /** The learner's step count, read at each recorded reset and written as the header's `trainingStep`. */
  trainingStep?: () => number;
  /** Free text for the header's `agent` (algorithm, checkpoint name). */
  agent?: string;
  /**
   * Called after each recorded step; what it returns is merged into that step's annotations (keys set with
   * `annotateNext` win). Use it to lift diagnostics out of `info`.
   */
  annotate?: (ctx: AnnotateContext<O, A>) => StepAnnotations | undefined;
}

/** The default file name: 1-based, zero-padded to six digits. */
export function defaultEpisodeFileName(episodeIndex: number): string {
  return `episode-${String(episodeIndex + 1).padStart(6, '0')}.jsonl`;
}

/**
 * Records episodes as episode files (see `core/episode/format.ts`) for the viewer and for replay: the seed given to
 * `reset`, every action and reward, the frame `render()` returns after reset and after each step, and what the
 * agent attached with `annotateNext` (Q-values, action probabilities).
 *
 * - Every `reset` starts a new episode and counts one episode index (0-based), recorded or not.
 * - The file is written, atomically, on the step that ends the episode (`terminated || truncated`); its path is
 *   appended to `writtenFiles`. Steps taken after that, without a reset, are not recorded.
 * - An episode abandoned by a `reset` before it ended, or still running at `close()`, is discarded: files are
 *   only ever complete episodes.
 *
 * The env must implement `render()`.
 *
 * ```ts
 * const env = new RecordEpisodes(make('CartPole-v1'), { dir: 'runs/cartpole/episodes', episodeTrigger: (i) => i % 100 === 0 });
 * env.reset({ seed: 0 });
 * env.annotateNext({ qValues: [0.1, 0.4] });
 * env.step(1);
 * ```
 */
export class RecordEpisodes<O, A> extends Wrapper<O, A> {
  /** Paths of the episode files written so far, in order. */
  readonly writtenFiles: string[] = [];
  readonly dir: string;
  private readonly opts: RecordEpisodesOptions<O, A>;
  private episodes = 0;
  private writer: EpisodeWriter | undefined;
  private pending: StepAnnotations | undefined;

  constructor(env: Env<O, A>, opts: RecordEpisodesOptions<O, A>) {
    super(env);
    if (!canRender(env)) {
      throw new EnvContractError(`RecordEpisodes: ${envName(env)} has no render(); episode files hold the frames render() returns, so the env must implement it`);
    }
    if (typeof opts?.dir !== 'string' || opts.dir === '') throw new InvalidInputError('RecordEpisodes: options.dir must be a non-empty folder path');
    this.opts = opts;
    this.dir = opts.dir;
    fs.mkdirSync(this.dir, { recursive: true });
  }

  /** Episodes started (resets) so far; the index the next episode will get. */
  get episodeCount(): number {
    return this.episodes;
  }

  /** True while the current episode is being recorded. */
  get recording(): boolean {
    return this.writer !== undefined;
  }

  /**
   * Attaches annotations (`qValues`, `actionProbs`, `value`, or any JSON) to the next `step`: call it just before
   * stepping with the action the agent chose. Ignored when the episode is not recorded. Typed arrays are copied.
   */
  annotateNext(annotations: StepAnnotations): void {
    this.pending = annotations;
  }

  override reset(opts?: ResetOptions): ResetResult<O> {
    this.writer = undefined; // an unfinished episode is discarded
    this.pending = undefined;
    const result = this.env.reset(opts);
    const episodeIndex = this.episodes++;
    const trigger = this.opts.episodeTrigger;
    if (trigger === undefined || trigger(episodeIndex)) {
      const frame = this.env.render!();
      const fps = this.env.metadata?.renderFps;
      this.writer = new EpisodeWriter({
        envId: this.opts.envId ?? envName(this.env),
        seed: opts?.seed ?? null,
        observationSpace: this.env.observationSpace.toJSON(),
        actionSpace: this.env.actionSpace.toJSON(),
        render: fps === undefined ? { kind: frame.kind } : { kind: frame.kind, fps },
        trainingStep: this.opts.trainingStep?.(),
        episodeIndex,
        agent: this.opts.agent,
        initialFrame: frame,
      });
    }
    return result;
  }

  override step(action: A): StepResult<O> {
    const fromAgent = this.pending;
    this.pending = undefined;
    const result = this.env.step(action);
    const writer = this.writer;
    if (writer === undefined) return result;

    const episodeIndex = this.episodes - 1;
    const fromCallback = this.opts.annotate?.({ episodeIndex, t: writer.length, action, result });
    const annotations = fromCallback === undefined ? fromAgent : fromAgent === undefined ? fromCallback : { ...fromCallback, ...fromAgent };
    writer.addStep({
      action,
      reward: result.reward,
      terminated: result.terminated,
      truncated: result.truncated,
      frame: this.env.render!(),
      annotations,
    });
    if (writer.ended) {
      this.writer = undefined;
      const name = (this.opts.nameTemplate ?? defaultEpisodeFileName)(episodeIndex);
      const path = nodePath.join(this.dir, name);
      writer.finish(path);
      this.writtenFiles.push(path);
    }
    return result;
  }

  /** Discards an unfinished episode (nothing partial is written) and closes the env. */
  override close(): void {
    this.writer = undefined;
    this.pending = undefined;
    super.close();
  }
}
