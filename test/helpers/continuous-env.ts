import { BaseEnv, Box, type ResetOptions, type ResetResult, type StepResult } from '../../core/index.ts';

/**
 * A point on the line [-1, 1] to be moved onto a target, for continuous-action tests. Observation: [position,
 * target]; action: a velocity in [-1, 1] (moves 0.25 x action a step); reward: -|position - target| after the
 * move. Episodes last `length` steps and end truncated (no terminal state). A random policy scores about
 * -0.6 a step; steering straight to the target and holding it scores near 0.
 */
export class PointToTarget extends BaseEnv<Float32Array, Float32Array> {
  readonly observationSpace = new Box({ low: -1, high: 1, shape: [2] });
  readonly actionSpace = new Box({ low: -1, high: 1, shape: [1] });
  private position = 0;
  private target = 0;
  private t = 0;

  constructor(readonly length = 20) {
    super();
  }

  reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedOnReset(opts);
    this.position = this.rng.uniform(-1, 1);
    this.target = this.rng.uniform(-1, 1);
    this.t = 0;
    return { observation: this.observe(), info: {} };
  }

  step(action: Float32Array): StepResult<Float32Array> {
    const v = Math.max(-1, Math.min(1, action[0]));
    this.position = Math.max(-1, Math.min(1, this.position + 0.25 * v));
    this.t++;
    return { observation: this.observe(), reward: -Math.abs(this.position - this.target), terminated: false, truncated: this.t >= this.length, info: {} };
  }

  private observe(): Float32Array {
    return Float32Array.of(this.position, this.target);
  }
}
