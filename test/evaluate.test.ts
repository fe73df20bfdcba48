import { describe, expect, it } from 'vitest';
import { BaseEnv, Box, Discrete, type ResetOptions, type ResetResult, type StepResult } from '../core/index.ts';
import { evaluate } from '../agents/index.ts';

/** Reach x = 3 (completed) or step left off the edge (fail); the start is drawn from the seed. */
class Ledge extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box({ low: -10, high: 10, shape: [1] });
  readonly actionSpace = new Discrete(2);
  private x = 0;
  reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedOnReset(opts);
    this.x = this.rng.int(3);
    return { observation: Float32Array.of(this.x), info: {} };
  }
  step(a: number): StepResult<Float32Array> {
    this.x += a === 1 ? 1 : -1;
    const completed = this.x >= 3;
    const fell = this.x < 0;
    return { observation: Float32Array.of(this.x), reward: completed ? 1 : 0, terminated: completed || fell, truncated: false, info: { completed } };
  }
}

describe('evaluate', () => {
  it('reports mean, std and the completion rate, repeatably', () => {
    const right = { predict: () => 1 };
    const r = evaluate(right, new Ledge(), { episodes: 4, seed: 3 });
    expect(r.mean).toBe(1);
    expect(r.std).toBe(0);
    expect(r.completionRate).toBe(1);
    const left = evaluate({ predict: () => 0 }, new Ledge(), { episodes: 4, seed: 3 });
    expect(left.completionRate).toBe(0);
    expect(evaluate(right, new Ledge(), { episodes: 4, seed: 3 }).lengths).toEqual(r.lengths);
  });
});
