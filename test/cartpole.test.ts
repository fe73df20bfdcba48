import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEnv } from '../core/checker/check-env.ts';
import { EnvContractError, InvalidInputError } from '../core/errors.ts';
import { readEpisode } from '../core/episode/reader.ts';
import { make, register, unregister } from '../core/registry.ts';
import { Rng } from '../core/rng.ts';
import { spaceFromJSON } from '../core/spaces/from-json.ts';
import { RecordEpisodes } from '../core/wrappers/record-episodes.ts';
import { CARTPOLE_ENVS, CartPole } from '../envs/classic/index.ts';

const THETA_LIMIT = (12 * 2 * Math.PI) / 360;

/** One Euler step of the frictionless cart-pole, written out from the equations of motion. */
function referenceStep([x, xDot, theta, thetaDot]: readonly number[], action: number): number[] {
  const g = 9.8;
  const mc = 1.0;
  const mp = 0.1;
  const l = 0.5; // half the pole
  const F = action === 1 ? 10 : -10;
  const dt = 0.02;
  const M = mc + mp;
  // thetaAcc = (g sin - cos (F + mp l thetaDot^2 sin) / M) / (l (4/3 - mp cos^2 / M))
  const a = (F + mp * l * thetaDot ** 2 * Math.sin(theta)) / M;
  const thetaAcc = (g * Math.sin(theta) - Math.cos(theta) * a) / (l * (4 / 3 - (mp * Math.cos(theta) ** 2) / M));
  const xAcc = a - (mp * l * thetaAcc * Math.cos(theta)) / M;
  return [x + dt * xDot, xDot + dt * xAcc, theta + dt * thetaDot, thetaDot + dt * thetaAcc];
}

function rollout(seed: number, steps: number): { obs: number[][]; rewards: number[]; flags: boolean[] } {
  const env = new CartPole();
  const actions = new Rng(seed + 1);
  const obs: number[][] = [Array.from(env.reset({ seed }).observation)];
  const rewards: number[] = [];
  const flags: boolean[] = [];
  for (let i = 0; i < steps; i++) {
    const r = env.step(actions.int(2));
    obs.push([...Array.from(r.observation), ...env.getState()]);
    rewards.push(r.reward);
    flags.push(r.terminated);
    if (r.terminated) {
      obs.push(Array.from(env.reset().observation));
    }
  }
  return { obs, rewards, flags };
}

describe('CartPole', () => {
  it('spaces, metadata and the frame follow Gymnasium CartPole-v1', () => {
    const env = new CartPole();
    expect(env.actionSpace.n).toBe(2);
    expect(env.observationSpace.shape).toEqual([4]);
    expect(env.observationSpace.dtype).toBe('float32');
    expect(Array.from(env.observationSpace.high)).toEqual([4.8, Infinity, 2 * THETA_LIMIT, Infinity].map(Math.fround));
    expect(Array.from(env.observationSpace.low)).toEqual([-4.8, -Infinity, -2 * THETA_LIMIT, -Infinity].map(Math.fround));
    expect(env.metadata.renderFps).toBe(50);
    expect(() => env.step(0)).toThrow(EnvContractError);
    env.reset({ seed: 3 });
    const [x, , theta] = env.getState();
    expect(env.render()).toEqual({ kind: 'cartpole', x, theta, xThreshold: 2.4, thetaThreshold: THETA_LIMIT });
    expect(JSON.parse(JSON.stringify(env.render()))).toEqual(env.render());
  });

  it('the same seed gives the same trajectory, bit for bit', () => {
    const a = rollout(12345, 2000);
    const b = rollout(12345, 2000);
    expect(b.obs).toEqual(a.obs);
    expect(b.rewards).toEqual(a.rewards);
    expect(b.flags).toEqual(a.flags);
    // Object.is on every number, so that even -0 / +0 and NaN would count
    for (let i = 0; i < a.obs.length; i++) for (let j = 0; j < a.obs[i].length; j++) expect(Object.is(a.obs[i][j], b.obs[i][j])).toBe(true);
    const c = rollout(54321, 50);
    expect(c.obs[0]).not.toEqual(a.obs[0]);
  });

  it('reset states are uniform in [-0.05, 0.05]^4 and the observation is the float32 state', () => {
    const env = new CartPole();
    let min = Infinity;
    let max = -Infinity;
    for (let seed = 0; seed < 500; seed++) {
      const { observation, info } = env.reset({ seed });
      expect(observation).toBeInstanceOf(Float32Array);
      expect(info).toEqual({});
      const state = env.getState();
      for (let i = 0; i < 4; i++) {
        expect(Math.abs(state[i])).toBeLessThanOrEqual(0.05);
        expect(observation[i]).toBe(Math.fround(state[i]));
        min = Math.min(min, state[i]);
        max = Math.max(max, state[i]);
      }
    }
    // spread over the whole interval
    expect(min).toBeLessThan(-0.049);
    expect(max).toBeGreaterThan(0.049);
  });

  it('one physics step matches the equations, checked by hand', () => {
    const env = new CartPole();
    env.setState([0, 0, 0, 0]);
    const r = env.step(1);
    // Upright and at rest, pushing right with 10 N:
    //   temp = F / (mc + mp) = 10 / 1.1 = 9.090909...
    //   thetaAcc = (0 - 1 * 9.0909) / (0.5 * (4/3 - 0.1 / 1.1)) = -9.0909 / 0.621212 = -14.634146...
    //   xAcc = 9.0909 - 0.1 * 0.5 * (-14.634146) / 1.1 = 9.756098...
    // Euler: positions move with the old (zero) velocities; velocities gain dt * acceleration.
    const [x, xDot, theta, thetaDot] = env.getState();
    expect(x).toBe(0);
    expect(theta).toBe(0);
    expect(xDot).toBeCloseTo(0.02 * 9.756098, 6);
    expect(thetaDot).toBeCloseTo(0.02 * -14.634146, 6);
    expect(r.reward).toBe(1);
    expect(r.terminated).toBe(false);
    expect(r.truncated).toBe(false);
    expect(Array.from(r.observation)).toEqual([0, xDot, 0, thetaDot].map(Math.fround));

    // A general state, against the equations written out above.
    const start = [0.3, -0.4, 0.1, 0.7];
    for (const action of [0, 1]) {
      env.setState(start);
      env.step(action);
      const expected = referenceStep(start, action);
      const got = env.getState();
      for (let i = 0; i < 4; i++) expect(got[i]).toBeCloseTo(expected[i], 12);
    }
  });

  it('the semi-implicit integrator moves with the new velocities', () => {
    const env = new CartPole({ integrator: 'semi-implicit-euler' });
    env.setState([0, 0, 0, 0]);
    env.step(1);
    const [x, xDot, theta, thetaDot] = env.getState();
    expect(x).toBeCloseTo(0.02 * xDot, 12);
    expect(theta).toBeCloseTo(0.02 * thetaDot, 12);
    expect(() => new CartPole({ integrator: 'rk4' } as never)).toThrow(InvalidInputError);
    expect(() => new CartPole({ gravity: 1 } as never)).toThrow(/gravity/);
  });

  it('terminates when the pole falls under constant pushes; reward 1 on that step, 0 beyond', () => {
    for (const action of [0, 1]) {
      const env = new CartPole();
      env.reset({ seed: 0 });
      let steps = 0;
      let r = env.step(action);
      steps++;
      while (!r.terminated) {
        expect(r.reward).toBe(1);
        r = env.step(action);
        steps++;
        expect(steps).toBeLessThan(100);
      }
      expect(r.reward).toBe(1);
      const [x, , theta] = env.getState();
      expect(Math.abs(theta) > THETA_LIMIT || Math.abs(x) > 2.4).toBe(true);
      // Pushing right tips the pole left (negative theta), and vice versa.
      expect(Math.sign(theta)).toBe(action === 1 ? -1 : 1);
      // Stepping on is allowed and gives 0
      const after = env.step(action);
      expect(after.terminated).toBe(true);
      expect(after.reward).toBe(0);
      // reset clears it
      env.reset();
      expect(env.step(action).reward).toBe(1);
    }
    const far = new CartPole();
    far.setState([2.45, 0, 0, 0]);
    expect(far.step(0).terminated).toBe(true);
  });

  it('observations stay inside observationSpace while not terminated', () => {
    const env = new CartPole();
    const actions = new Rng(7);
    env.reset({ seed: 7 });
    let episodes = 0;
    for (let i = 0; i < 20000; i++) {
      const r = env.step(actions.int(2));
      if (r.terminated) {
        episodes++;
        env.reset();
        continue;
      }
      expect(env.observationSpace.explain(r.observation)).toBeNull();
    }
    expect(episodes).toBeGreaterThan(100);
  });

  it('rejects actions outside Discrete(2) and hands out fresh observations', () => {
    const env = new CartPole();
    const first = env.reset({ seed: 1 }).observation;
    const copy = Float32Array.from(first);
    expect(() => env.step(2)).toThrow(/action must be 0/);
    expect(() => env.step(0.5)).toThrow(EnvContractError);
    const next = env.step(0).observation;
    expect(next).not.toBe(first);
    expect(first).toEqual(copy);
  });

  it('passes checkEnv, and registers as CartPole-v1 (500 steps) and -v0 (200 steps)', () => {
    expect(checkEnv(new CartPole()).errors).toEqual([]);
    expect(CARTPOLE_ENVS.map((r) => [r.id, r.maxEpisodeSteps])).toEqual([
      ['CartPole-v1', 500],
      ['CartPole-v0', 200],
    ]);
    const id = 'TestCartPole-v0';
    register({ ...CARTPOLE_ENVS[1], id, replace: true });
    try {
      // a hand-made policy that balances long enough to hit the limit: push towards where the pole falls
      const env = make(id);
      let obs = env.reset({ seed: 0 }).observation as Float32Array;
      let steps = 0;
      for (;;) {
        const r = env.step(obs[2] + 0.5 * obs[3] > 0 ? 1 : 0);
        obs = r.observation as Float32Array;
        steps++;
        if (r.terminated || r.truncated) {
          expect(r.truncated).toBe(true);
          expect(r.terminated).toBe(false);
          break;
        }
      }
      expect(steps).toBe(200);
      expect(() => make(id, { wind: 3 })).toThrow(InvalidInputError);
    } finally {
      unregister(id);
    }
  });

  it('records to episode files with its frames', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arcade-cartpole-'));
    try {
      const env = new RecordEpisodes(new CartPole(), { dir, envId: 'CartPole-v1' });
      env.reset({ seed: 5 });
      let n = 0;
      while (!env.step(n++ % 3 === 0 ? 0 : 1).terminated);
      const ep = readEpisode(env.writtenFiles[0]);
      expect(ep.header.render).toEqual({ kind: 'cartpole', fps: 50 });
      expect(ep.end).toMatchObject({ length: n, return: n, terminated: true });
      expect(ep.steps[n - 1].frame).toMatchObject({ kind: 'cartpole', xThreshold: 2.4 });
      expect(spaceFromJSON(ep.header.observationSpace).toString()).toBe(new CartPole().observationSpace.toString());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
