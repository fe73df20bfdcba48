import { BaseEnv, Box, Discrete, type Frame, type ResetOptions, type ResetResult, type StepResult } from '../../core/index.ts';

/** A 1-D corridor for tests: start at 0, action 1 moves right, 0 left; reaching `length - 1` ends with reward 1.
 * Observation: a Box [position / (length-1), noise] where noise comes from the env's RNG (to test seeding). */
export class Corridor extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box({ low: [0, 0], high: [1, 1] });
  readonly actionSpace = new Discrete(2);
  override readonly metadata = { renderModes: ['frame'], renderFps: 4 };
  position = 0;

  constructor(readonly length = 5) {
    super();
  }

  reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedOnReset(opts);
    this.position = 0;
    return { observation: this.observe(), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    this.position = Math.max(0, Math.min(this.length - 1, this.position + (action === 1 ? 1 : -1)));
    const done = this.position === this.length - 1;
    return { observation: this.observe(), reward: done ? 1 : 0, terminated: done, truncated: false, info: { position: this.position } };
  }

  render(): Frame {
    return { kind: 'corridor', position: this.position, length: this.length };
  }

  private observe(): Float32Array {
    return Float32Array.of(this.position / (this.length - 1), this.rng.random());
  }
}
