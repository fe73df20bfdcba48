import { Wrapper, type Env, type RecordEpisodes, type ResetOptions, type ResetResult, type StepResult } from '../../core/index.ts';

/**
 * Sits on top of a `RecordEpisodes` and, on recorded episodes only, asks `annotate` about the observation the agent
 * is acting on, so each recorded step carries what the agent thought (Q-values, probabilities).
 */
export class AnnotateRecording<O, A> extends Wrapper<O, A> {
  private last: O | undefined;

  constructor(
    private readonly recorder: RecordEpisodes<O, A>,
    private readonly annotate: (observation: O) => Record<string, number[] | number>,
  ) {
    super(recorder as Env<O, A>);
  }

  override reset(opts?: ResetOptions): ResetResult<O> {
    const r = this.env.reset(opts);
    this.last = r.observation;
    return r;
  }

  override step(action: A): StepResult<O> {
    if (this.recorder.recording && this.last !== undefined) this.recorder.annotateNext(this.annotate(this.last));
    const r = this.env.step(action);
    this.last = r.observation;
    return r;
  }
}
