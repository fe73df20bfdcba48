import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { EnvContractError, InvalidInputError, Rng, checkEnv } from '../core/index.ts';
import {
  DEFAULT_PLATFORMER_REWARDS,
  JUMP_SPEED,
  LEVEL_COUNT,
  LevelFormatError,
  PIXEL_SIZE,
  PLATFORMER_ENVS,
  PLAYER_H,
  PROCGEN_HEIGHT,
  PROCGEN_RULES,
  PROCGEN_SEED_RANGES,
  Platformer,
  PlatformerAction,
  SYMBOLIC_CHANNELS,
  SYMBOLIC_SCALARS,
  SYMBOLIC_SIZE,
  UNIT,
  VIEW_ABOVE,
  VIEW_BEHIND,
  VIEW_HEIGHT,
  VIEW_WIDTH,
  generateLevel,
  loadLevelFile,
  parseLevel,
  procgenSeed,
  scriptedAction,
  shippedLevel,
  solveLevel,
  type PlatformerLevel,
  type PlatformerOptions,
} from '../envs/platformer/index.ts';

const { Noop, Right, Jump, RightJump } = PlatformerAction;
/** No progress reward, so that a step's reward shows the event alone. */
const QUIET = { progressReward: 0 };
const map = (...rows: string[]): string => rows.join('\n');

function parseError(text: string): LevelFormatError {
  try {
    parseLevel(text);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err).toBeInstanceOf(LevelFormatError);
    return err as LevelFormatError;
  }
  throw new Error('expected parseLevel to throw');
}

/** Steps `action` until `until` holds or `max` steps; returns the last step result. */
function stepUntil(env: Platformer<'symbolic'>, action: number, until: (r: ReturnType<Platformer<'symbolic'>['step']>) => boolean, max = 200) {
  let r = env.step(action);
  for (let i = 1; i < max && !until(r) && !r.terminated; i++) r = env.step(action);
  return r;
}

const cell = (row: number, col: number, channel: (typeof SYMBOLIC_CHANNELS)[number]): number => (row * VIEW_WIDTH + col) * SYMBOLIC_CHANNELS.length + SYMBOLIC_CHANNELS.indexOf(channel);
const scalar = (name: (typeof SYMBOLIC_SCALARS)[number]): number => VIEW_WIDTH * VIEW_HEIGHT * SYMBOLIC_CHANNELS.length + SYMBOLIC_SCALARS.indexOf(name);

describe('parseLevel', () => {
  it('parses size, start, flag, counts and monsters, ignoring blank edge lines and \\r', () => {
    const l = parseLevel('\n \r\n..F.\r\nPow.\n#=#S\n\n');
    expect(l).toMatchObject({ width: 4, height: 3, rows: ['..F.', 'Pow.', '#=#S'], start: { x: 0, y: 1 }, flag: { x: 2, y: 0 }, flags: 1, coins: 1, powerUps: 1 });
    expect(l.monsters).toEqual([{ kind: 'walker', x: 2, y: 1 }]);
  });

  it('names line and column of an unknown character, and explains spaces', () => {
    const err = parseError('P..\n.x.\n##F');
    expect([err.line, err.column]).toEqual([2, 2]);
    expect(err.message).toBe("platformer level, line 2, column 2: unknown character 'x' (legend: . # = P F o S J w j f)");
    const space = parseError('\n\nP.F\n# #');
    expect([space.line, space.column]).toEqual([4, 2]);
    expect(space.message).toContain("use '.' for air");
  });

  it('rejects ragged rows, two starts, no start, no flag, no rows', () => {
    const short = parseError('P..F\n..\n####');
    expect([short.line, short.column]).toEqual([2, 3]);
    expect(short.message).toMatch(/line 2, column 3: a row of 2 characters, but the first row \(line 1\) has 4/);
    const two = parseError('P..\n..P\n##F');
    expect([two.line, two.column]).toEqual([2, 3]);
    expect(two.message).toContain("a second player start 'P' (the first is at line 1, column 1)");
    expect(parseError('..F\n###').message).toBe("platformer level: no player start 'P'; a level needs exactly one");
    expect(parseError('P..\n###').message).toBe("platformer level: no goal flag 'F'; a level needs at least one");
    expect(parseError('P..\n###').line).toBeUndefined();
    expect(parseError('\n \n').message).toContain('empty');
  });

  it('loads files, naming them in errors; parses every shipped level', () => {
    const dir = mkdtempSync(join(tmpdir(), 'platformer-'));
    try {
      const bad = join(dir, 'bad.txt');
      writeFileSync(bad, 'P.F\n#q#\n');
      expect(() => loadLevelFile(bad)).toThrow(`${bad}, line 2, column 2: unknown character 'q'`);
      expect(() => loadLevelFile(join(dir, 'missing.txt'))).toThrow(InvalidInputError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(LEVEL_COUNT).toBeGreaterThanOrEqual(5);
    const widths: number[] = [];
    for (let n = 1; n <= LEVEL_COUNT; n++) {
      const l = shippedLevel(n);
      expect(l.height).toBe(14);
      widths.push(l.width);
    }
    // Rising length; level 1 short, with one walker and a few coins.
    expect(widths).toEqual([...widths].sort((a, b) => a - b));
    const one = shippedLevel(1);
    expect(one.width).toBeLessThanOrEqual(60);
    expect(one.monsters.map((m) => m.kind)).toEqual(['walker']);
    expect(one.coins).toBeGreaterThanOrEqual(3);
    const kinds = new Set(shippedLevel(LEVEL_COUNT).monsters.map((m) => m.kind));
    expect(kinds).toEqual(new Set(['walker', 'jumper', 'flyer']));
  });
});

describe('physics and collisions', () => {
  it('lands on a floor: the fall stops with the feet on the floor', () => {
    const env = new Platformer({ level: map('F.....', '..P...', '......', '......', '######') });
    env.reset({ seed: 0 });
    expect(env.getState().player.onGround).toBe(false);
    const r = stepUntil(env, Noop, () => env.getState().player.onGround);
    const p = env.getState().player;
    expect(p.y + PLAYER_H).toBe(4 * UNIT);
    expect([p.vy, r.terminated]).toEqual([0, false]);
    expect(r.observation[scalar('onGround')]).toBe(1);
    // It stays there.
    env.step(Noop);
    expect(env.getState().player.y + PLAYER_H).toBe(4 * UNIT);
  });

  it('bumps its head on a ceiling: the rise stops under it', () => {
    const open = new Platformer({ level: map('F......', '.......', '.......', '.......', '..P....', '#######') });
    const low = new Platformer({ level: map('F######', '.......', '..P....', '#######') });
    const apex = (env: Platformer<'symbolic'>): number => {
      env.reset({ seed: 0 });
      let top = Infinity;
      for (let i = 0; i < 30; i++) {
        env.step(i < 12 ? Jump : Noop); // let go before landing, or it jumps again
        top = Math.min(top, env.getState().player.y);
      }
      return top;
    };
    const start = 5 * UNIT - PLAYER_H;
    expect(start - apex(open)).toBeGreaterThan(3 * UNIT); // a free jump rises over 3 tiles
    expect(apex(low)).toBe(1 * UNIT); // stopped flush under the ceiling row 0
    // After the bump it falls back to the floor.
    expect(low.getState().player.y).toBe(3 * UNIT - PLAYER_H);
  });

  it('a held jump rises higher than a tapped one', () => {
    const env = new Platformer({ level: map('F......', '.......', '.......', '.......', '..P....', '#######') });
    const rise = (actions: number[]): number => {
      env.reset({ seed: 0 });
      const y0 = env.getState().player.y;
      let top = y0;
      for (const a of actions) {
        env.step(a);
        top = Math.min(top, env.getState().player.y);
      }
      return (y0 - top) / UNIT;
    };
    const held = rise(Array<number>(30).fill(Jump));
    const tapped = rise([Jump, ...Array<number>(29).fill(Noop)]);
    expect(held).toBeGreaterThan(3.3);
    expect(tapped).toBeLessThan(1.2);
    expect(tapped).toBeGreaterThan(0.75); // still clears a monster (0.75 tall)
  });

  it('walking off the edge of a pit falls and dies: causeOfDeath pit', () => {
    const env = new Platformer({ level: map('.......F', '..P.....', '####..##'), ...QUIET });
    env.reset({ seed: 0 });
    const r = stepUntil(env, Right, () => false, 100);
    expect(r.terminated).toBe(true);
    expect(r.truncated).toBe(false);
    expect(r.reward).toBe(DEFAULT_PLATFORMER_REWARDS.deathReward);
    expect(r.info).toMatchObject({ causeOfDeath: 'pit', completed: false });
    expect(env.getState().player.y).toBeGreaterThanOrEqual(3 * UNIT);
    expect(() => env.step(Noop)).toThrow(EnvContractError);
  });

  it('stomping a walker from above kills it, with a reward and a bounce', () => {
    const env = new Platformer({ level: map('..P....F', '........', '........', '........', '..w.....', '########'), ...QUIET });
    for (const seed of [0, 1, 2, 3]) {
      env.reset({ seed });
      const r = stepUntil(env, Noop, (s) => (s.info.kills as number) > 0, 40);
      expect(r.info).toMatchObject({ kills: 1, causeOfDeath: null });
      expect(r.reward).toBe(DEFAULT_PLATFORMER_REWARDS.killReward);
      expect(r.terminated).toBe(false);
      expect(env.getState().player.vy).toBeLessThan(0);
      expect(env.render().monsters[0].alive).toBe(false);
    }
  });

  it('walking into a walker from the side kills the player: causeOfDeath monster', () => {
    const env = new Platformer({ level: map('.P...w.F', '########'), ...QUIET });
    env.reset({ seed: 0 });
    const r = stepUntil(env, Right, () => false, 100);
    expect(r).toMatchObject({ terminated: true, reward: DEFAULT_PLATFORMER_REWARDS.deathReward });
    expect(r.info).toMatchObject({ causeOfDeath: 'monster', kills: 0, completed: false });
  });

  it('the shield absorbs one hit; the next one, once the grace period is over, kills', () => {
    const env = new Platformer({ level: map('F........', '.........', '.PS...w..', '#########'), ...QUIET });
    env.reset({ seed: 5 });
    let r = env.step(Right);
    for (let i = 0; i < 10 && !env.getState().player.shield; i++) r = env.step(Right);
    expect(env.getState().player.shield).toBe(true);
    expect(r.observation[scalar('shield')]).toBe(1);
    let absorbedAt = -1;
    let t = 0;
    for (; t < 2000; t++) {
      r = env.step(Noop);
      const p = env.getState().player;
      if (absorbedAt < 0 && !p.shield) {
        absorbedAt = t;
        expect(p.invulnerable).toBeGreaterThan(0);
        expect(r.terminated).toBe(false);
      }
      if (r.terminated) break;
    }
    expect(absorbedAt).toBeGreaterThanOrEqual(0);
    expect(r.info.causeOfDeath).toBe('monster');
    expect(t - absorbedAt).toBeGreaterThan(45);
  });

  it('one-way platforms: jumped through from below, stood on from above', () => {
    const env = new Platformer({ level: map('F.......', '........', '........', '.====...', '........', '..P.....', '########') });
    env.reset({ seed: 0 });
    let passed = false;
    for (let i = 0; i < 40; i++) {
      env.step(i < 12 ? Jump : Noop);
      const p = env.getState().player;
      if (p.vy < 0 && p.y < 4 * UNIT && p.y + PLAYER_H > 3 * UNIT) passed = true; // overlapping the platform row, rising
    }
    expect(passed).toBe(true);
    const p = env.getState().player;
    expect(p.y + PLAYER_H).toBe(3 * UNIT);
    expect(p.onGround).toBe(true);
    // Walk off its end and drop back to the floor.
    stepUntil(env, Right, () => env.getState().player.y + PLAYER_H === 6 * UNIT && env.getState().player.onGround, 60);
    expect(env.getState().player.y + PLAYER_H).toBe(6 * UNIT);
  });

  it('picks up a coin: reward, counter, gone from the tiles and the observation', () => {
    const env = new Platformer({ level: map('F.....', '.P.o..', '######'), ...QUIET });
    const obs0 = env.reset({ seed: 0 }).observation;
    // The coin at map (3, 1) is window row 4, column 3 + 2.
    expect(obs0[cell(VIEW_ABOVE, VIEW_BEHIND + 2, 'pickup')]).toBe(0.5);
    const r = stepUntil(env, Right, (s) => (s.info.coins as number) > 0, 30);
    expect(r.reward).toBe(DEFAULT_PLATFORMER_REWARDS.coinReward);
    expect(r.info.coins).toBe(1);
    expect(env.render().tiles[1]).toBe('......');
    for (let i = 0; i < r.observation.length; i += 5) expect(r.observation[i + 2]).not.toBe(0.5);
    // A reset puts it back.
    expect(env.reset().observation[cell(VIEW_ABOVE, VIEW_BEHIND + 2, 'pickup')]).toBe(0.5);
    expect(env.render().tiles[1]).toBe('...o..');
  });

  it('reaching the flag completes the level with the bonus', () => {
    const env = new Platformer({ level: map('.P..F.', '######'), ...QUIET });
    env.reset({ seed: 0 });
    const r = stepUntil(env, Right, () => false, 50);
    expect(r).toMatchObject({ terminated: true, truncated: false, reward: DEFAULT_PLATFORMER_REWARDS.completionReward });
    expect(r.info).toMatchObject({ completed: true, causeOfDeath: null });
  });

  it('the double jump: one more jump in mid-air on a fresh press, only with the power-up', () => {
    const level = map('F........', '.........', '.........', '.........', '.........', '.........', '.PJ......', '#########');
    const run = (withPowerUp: boolean): number => {
      const env = new Platformer({ level: withPowerUp ? level : level.replace('J', '.') });
      env.reset({ seed: 0 });
      for (let i = 0; i < 3; i++) env.step(Right); // onto the power-up
      env.step(Noop);
      for (let i = 0; i < 10; i++) env.step(Jump);
      env.step(Noop); // release
      env.step(Jump); // fresh press in the air
      return env.getState().player.vy;
    };
    expect(run(true)).toBe(-JUMP_SPEED + 16);
    expect(run(false)).toBeGreaterThan(-JUMP_SPEED + 16);
  });

  it('procgen rules hold in the physics: each pit width and rise of PROCGEN_RULES is cleared', () => {
    for (let gap = 0; gap < PROCGEN_RULES.maxRise.length; gap++) {
      const rise = PROCGEN_RULES.maxRise[gap];
      const rows: string[][] = Array.from({ length: 14 }, () => Array<string>(40).fill('.'));
      for (let x = 0; x < 10; x++) for (let y = 10; y < 14; y++) rows[y][x] = '#';
      for (let x = 10 + gap; x < 40; x++) for (let y = 10 - rise; y < 14; y++) rows[y][x] = '#';
      rows[9][2] = 'P';
      rows[9 - rise][37] = 'F';
      const env = new Platformer({ level: rows.map((r) => r.join('')).join('\n') });
      let windows = 0;
      for (let t = 0; t < 40; t++) {
        env.reset({ seed: 0 });
        for (let i = 0; i < t; i++) env.step(Right);
        for (let i = 0; i < 60; i++) {
          const r = env.step(RightJump);
          const p = env.getState().player;
          if (r.terminated || (p.onGround && i > 2)) {
            if (!r.terminated && p.x > (10 + gap) * UNIT) windows++;
            break;
          }
        }
      }
      // Several takeoff steps work: margin, not a pixel-perfect jump.
      expect(windows, `gap ${gap}, rise ${rise}`).toBeGreaterThanOrEqual(5);
    }
  });
});

describe('observations', () => {
  it('symbolic: 400 floats, the documented window and scalars', () => {
    const env = new Platformer({ level: map('F..........', '...........', '.P.o.w.....', '###..######') });
    expectTypeOf(env.reset().observation).toEqualTypeOf<Float32Array>();
    expect(SYMBOLIC_SIZE).toBe(400);
    expect(env.observationSpace.shape).toEqual([400]);
    const obs = env.reset({ seed: 0 }).observation;
    expect(obs.length).toBe(400);
    expect(env.observationSpace.contains(obs)).toBe(true);
    // Window (row r, col c) shows map (1 - 3 + c, 2 - 4 + r).
    const at = (mx: number, my: number, ch: (typeof SYMBOLIC_CHANNELS)[number]): number => obs[cell(my - 2 + VIEW_ABOVE, mx - 1 + VIEW_BEHIND, ch)];
    expect(at(1, 3, 'terrain')).toBe(1); // floor under the player
    expect(at(-1, 2, 'terrain')).toBe(1); // left of the level: wall
    expect(at(3, 3, 'terrain')).toBe(0); // the pit
    expect(at(3, 3, 'void')).toBe(1);
    expect(at(3, 2, 'void')).toBe(1); // above the pit
    expect(at(2, 2, 'void')).toBe(0);
    expect(at(3, 2, 'pickup')).toBe(0.5); // coin
    expect(at(0, 0, 'pickup')).toBe(1); // flag
    expect(at(5, 2, 'monster')).toBe(1); // walker
    expect(Math.abs(at(5, 2, 'heading'))).toBe(1);
    expect(at(4, 2, 'monster')).toBe(0);
    expect(obs[scalar('onGround')]).toBe(1);
    expect(obs[scalar('facing')]).toBe(1);
    expect(obs[scalar('flagDx')]).toBeCloseTo(-1 / 11);
    expect(obs[scalar('subX')]).toBe(0.5);
    const moved = env.step(Right).observation;
    expect(moved[scalar('vx')]).toBe(0.25);
  });

  it('pixels: monsters and pickups are drawn; taken pickups disappear', () => {
    const env = new Platformer({ level: map('F.............', '..............', '.P.o.w..j..f..', '##############'), observation: 'pixels' });
    const count = (o: Uint8Array, v: number): number => o.reduce((n, x) => n + (x === v ? 1 : 0), 0);
    const obs = env.reset({ seed: 0 }).observation;
    for (const grey of [64, 80, 48, 192, 224]) expect(count(obs, grey), `grey ${grey}`).toBeGreaterThan(3); // walker, jumper, flyer, coin, flag
    let r = env.step(Right);
    for (let i = 0; i < 12 && r.info.coins === 0; i++) r = env.step(Right);
    expect(r.info.coins).toBe(1);
    expect(count(r.observation, 192)).toBe(0);
  });

  it('pixels: 84x84x1 grey uint8 (84x84x3 RGB), with the player drawn', () => {
    const env = new Platformer({ level: 1, observation: 'pixels' });
    expectTypeOf(env.reset().observation).toEqualTypeOf<Uint8Array>();
    expect(env.observationSpace.shape).toEqual([PIXEL_SIZE, PIXEL_SIZE, 1]);
    const obs = env.reset({ seed: 0 }).observation;
    expect(obs).toBeInstanceOf(Uint8Array);
    expect(obs.length).toBe(84 * 84);
    expect(env.observationSpace.contains(obs)).toBe(true);
    const count = (o: Uint8Array, v: number): number => o.reduce((n, x) => n + (x === v ? 1 : 0), 0);
    expect(count(obs, 255)).toBeGreaterThan(10); // the player
    expect(count(obs, 96)).toBeGreaterThan(84 * 6 * 2); // ground
    const rgb = new Platformer({ level: 1, observation: 'pixels', rgb: true });
    expect(rgb.observationSpace.shape).toEqual([84, 84, 3]);
    expect(rgb.reset({ seed: 0 }).observation.length).toBe(84 * 84 * 3);
    // The camera follows the player: after running right, the view has moved.
    let r = env.step(Right);
    for (let i = 0; i < 40; i++) r = env.step(Right);
    expect(env.render().camera.x).toBeGreaterThan(0);
    expect(Array.from(r.observation)).not.toEqual(Array.from(obs));
  });

  it('observations handed out are never changed by later steps', () => {
    for (const observation of ['symbolic', 'pixels'] as const) {
      const env = new Platformer({ level: 2, observation });
      const first = env.reset({ seed: 1 }).observation;
      const copy = first.slice();
      const rng = new Rng(2);
      const seen = [first];
      for (let i = 0; i < 3000; i++) {
        const r = env.step(rng.int(6));
        if (i < 20) seen.push(r.observation);
        if (r.terminated) env.reset();
      }
      expect(Array.from(first)).toEqual(Array.from(copy));
      for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
    }
  });
});

describe('determinism, spaces, contract', () => {
  function rollout(opts: PlatformerOptions, seed: number, steps: number): { obs: number[][]; rewards: number[]; infos: unknown[] } {
    const env = new Platformer(opts);
    const rng = new Rng(seed + 100);
    const out = { obs: [] as number[][], rewards: [] as number[], infos: [] as unknown[] };
    out.obs.push(Array.from(env.reset({ seed }).observation));
    for (let i = 0; i < steps; i++) {
      const r = env.step(rng.int(6));
      out.obs.push(Array.from(r.observation));
      out.rewards.push(r.reward);
      out.infos.push(r.info);
      if (r.terminated) out.obs.push(Array.from(env.reset().observation));
    }
    return out;
  }

  it('same seed and actions give the same episode, symbolic and pixels', () => {
    for (const opts of [{ level: 3 }, { level: 'procgen' }, { level: 5, observation: 'pixels' }] as PlatformerOptions[]) {
      const a = rollout(opts, 7, 600);
      const b = rollout(opts, 7, 600);
      expect(a).toEqual(b);
    }
    // Another seed changes the monsters' headings or the procgen level.
    expect(rollout({ level: 'procgen' }, 8, 50).obs).not.toEqual(rollout({ level: 'procgen' }, 7, 50).obs);
  });

  it('getState/setState: a restored env continues exactly like the saved one', () => {
    const env = new Platformer({ level: 4 });
    env.reset({ seed: 3 });
    const rng = new Rng(1);
    for (let i = 0; i < 150; i++) {
      if (env.step(scriptedAction(env.render())).terminated) break;
    }
    const state = JSON.parse(JSON.stringify(env.getState()));
    const actions = Array.from({ length: 80 }, () => rng.int(6));
    const run = (): unknown[] => {
      const out: unknown[] = [];
      for (const a of actions) {
        const r = env.step(a);
        out.push([Array.from(r.observation), r.reward, r.info]);
        if (r.terminated) break;
      }
      return out;
    };
    const first = run();
    env.reset({ seed: 99 });
    env.setState(state);
    expect(run()).toEqual(first);
    expect(() => new Platformer({ level: 1 }).setState(state)).toThrow(InvalidInputError);
  });

  it('every registered env passes checkEnv and stays inside its observation space, both modes', () => {
    for (const reg of PLATFORMER_ENVS) {
      for (const observation of ['symbolic', 'pixels'] as const) {
        const env = reg.entryPoint({ ...reg.kwargs, observation });
        // checkEnv compares pixel observations as JSON: slow, so fewer steps there.
        checkEnv(env, { steps: observation === 'pixels' ? 40 : 150 });
        const rng = new Rng(3);
        expect(env.observationSpace.contains(env.reset({ seed: 3 }).observation)).toBe(true);
        for (let i = 0; i < (observation === 'pixels' ? 200 : 1000); i++) {
          const r = env.step(rng.int(6));
          if (!env.observationSpace.contains(r.observation)) throw new Error(`${reg.id} ${observation} step ${i}: ${env.observationSpace.explain(r.observation)}`);
          expect(r.truncated).toBe(false);
          if (r.terminated) env.reset();
        }
      }
    }
  });

  it('rejects bad options, actions and call order', () => {
    expect(() => new Platformer({ level: 9 })).toThrow(InvalidInputError);
    expect(() => new Platformer({ observation: 'rgb' as never })).toThrow(InvalidInputError);
    expect(() => new Platformer({ coinReward: Number.NaN })).toThrow(InvalidInputError);
    expect(() => new Platformer({ procgenDifficulty: 2, level: 'procgen' })).toThrow(InvalidInputError);
    expect(() => new Platformer({ bogus: 1 } as never)).toThrow(/unknown option "bogus"/);
    expect(() => new Platformer({ level: 'P..\n###' })).toThrow(LevelFormatError);
    const env = new Platformer();
    expect(() => env.step(Right)).toThrow(/reset\(\) before step/);
    env.reset();
    expect(() => env.step(6)).toThrow(EnvContractError);
    expect(() => env.step(1.5)).toThrow(EnvContractError);
  });
});

describe('render', () => {
  it('is plain JSON describing the state', () => {
    const env = new Platformer({ level: 1 });
    env.reset({ seed: 0 });
    for (let i = 0; i < 30; i++) env.step(Right);
    const frame = env.render();
    expect(JSON.parse(JSON.stringify(frame))).toEqual(frame);
    expect(frame).toMatchObject({ kind: 'platformer', width: 50, height: 14, coins: 2, completed: false, causeOfDeath: null, steps: 30 });
    expect(frame.tiles).toHaveLength(14);
    expect(frame.tiles[10]).not.toContain('P');
    expect(frame.tiles[10].slice(6, 8)).toBe('..'); // the two coins taken
    expect(frame.player).toMatchObject({ facing: 'right', alive: true, shield: false, w: 0.625, h: 0.875 });
    expect(frame.player.x).toBeGreaterThan(8);
    expect(frame.monsters).toEqual([expect.objectContaining({ kind: 'walker', alive: true })]);
    expect(frame.camera).toMatchObject({ y: 0, width: 14, height: 14 });
    expect(frame.legend.F).toBe('goal flag');
    expect(env.metadata).toEqual({ renderModes: ['frame'], renderFps: 30 });
  });
});

/** The ground top row of each column (procgen: solid columns reach the bottom), or -1 for a pit column. */
function groundTops(level: PlatformerLevel): number[] {
  const tops: number[] = [];
  for (let x = 0; x < level.width; x++) {
    let top = -1;
    for (let y = 0; y < level.height; y++) {
      if (level.rows[y][x] === '#') {
        top = y;
        break;
      }
    }
    if (top >= 0) for (let y = top; y < level.height; y++) expect(level.rows[y][x], `column ${x} solid down to the bottom`).toBe('#');
    tops.push(top);
  }
  return tops;
}

/** Checks the construction rules of `PROCGEN_RULES` on a generated level. */
function checkProcgenInvariants(level: PlatformerLevel, seed: number): void {
  const R = PROCGEN_RULES;
  const where = `seed ${seed}`;
  expect(level.height, where).toBe(PROCGEN_HEIGHT);
  const g = groundTops(level);
  for (const top of g) if (top >= 0) expect(top >= R.minGround && top <= R.maxGround, where).toBe(true);
  // Start on the ground, flag pole on the ground near the end.
  expect(level.start.x).toBe(R.startColumn);
  expect(level.start.y).toBe(g[R.startColumn] - 1);
  expect(level.flag.x).toBe(level.width - 4);
  expect(level.flag.y + level.flags).toBe(g[level.width - 4]);
  expect(level.flags).toBe(6);
  // Pits and steps.
  let x = 0;
  while (x < level.width) {
    if (g[x] >= 0) {
      if (x + 1 < level.width && g[x + 1] >= 0) expect(g[x] - g[x + 1], `${where}: step at ${x}`).toBeLessThanOrEqual(R.maxRise[0]);
      x++;
      continue;
    }
    const from = x - 1;
    while (x < level.width && g[x] < 0) x++;
    expect(x, `${where}: the level ends on ground`).toBeLessThan(level.width);
    const width = x - from - 1;
    const rise = g[from] - g[x];
    const platforms: number[] = [];
    for (let c = from + 1; c < x; c++) for (let y = 0; y < level.height; y++) if (level.rows[y][c] === '=') platforms.push(c);
    if (platforms.length === 0) {
      expect(width, `${where}: pit at ${from + 1}`).toBeLessThanOrEqual(R.maxGap);
      expect(rise, `${where}: rise across the pit at ${from + 1}`).toBeLessThanOrEqual(R.maxRise[width]);
    } else {
      // A bridge: a platform one row above the ground, at most 2 columns of pit either side, level ground.
      expect(rise, where).toBe(0);
      const first = Math.min(...platforms);
      const last = Math.max(...platforms);
      expect(first - from - 1, where).toBeLessThanOrEqual(2);
      expect(x - last - 1, where).toBeLessThanOrEqual(2);
      for (let c = first; c <= last; c++) expect(level.rows[g[from] - 1][c], `${where}: bridge at ${c}`).toBe('=');
    }
  }
  // Monsters.
  for (const m of level.monsters) {
    if (m.kind === 'flyer') {
      expect(m.y, `${where}: flyer at ${m.x}`).toBe(g[m.x] - 3);
      for (let c = m.x - 3; c <= m.x + 3; c++) expect(g[c], `${where}: ground under the flyer at ${c}`).toBe(g[m.x]);
    } else {
      expect(m.y, `${where}: ${m.kind} at ${m.x}`).toBe(g[m.x] - 1);
      expect(m.x).toBeGreaterThanOrEqual(R.monsterFreeColumns);
    }
  }
  // Nothing solid anywhere but ground columns (checked by groundTops) and one-way platforms only above air.
}

describe('procgen', () => {
  it('is deterministic per seed and varies across seeds', () => {
    expect(generateLevel(42)).toEqual(generateLevel(42));
    expect(generateLevel(42).rows).not.toEqual(generateLevel(43).rows);
    expect(generateLevel(42, { difficulty: 0.9, width: 120 }).width).toBe(120);
    expect(() => generateLevel(-1)).toThrow(InvalidInputError);
    expect(() => generateLevel(2 ** 32)).toThrow(InvalidInputError);
    expect(() => generateLevel(1, { width: 10 })).toThrow(InvalidInputError);
  });

  it('every generated level satisfies the construction rules (hundreds of seeds, every difficulty)', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 300; i++) {
      const seed = i < 100 ? i : i < 200 ? procgenSeed('test', i) : rng.nextSeed();
      const difficulty = [0, 0.3, 0.5, 0.8, 1][i % 5];
      const level = generateLevel(seed, { difficulty, width: 30 + (i % 7) * 20 });
      checkProcgenInvariants(level, seed);
    }
  });

  it('train and test splits draw from disjoint seed ranges', () => {
    expect(PROCGEN_SEED_RANGES).toEqual({ train: [0, 2 ** 31], test: [2 ** 31, 2 ** 32] });
    expect(procgenSeed('test', 5)).toBe(2 ** 31 + 5);
    const seeds = (opts: PlatformerOptions, n: number): number[] => {
      const env = new Platformer({ level: 'procgen', ...opts });
      const out = [env.reset({ seed: 0 }).info.levelSeed as number];
      for (let i = 1; i < n; i++) out.push(env.reset().info.levelSeed as number);
      return out;
    };
    const train = seeds({}, 30);
    const test = seeds({ procgenSplit: 'test' }, 30);
    for (const s of train) expect(s >= 0 && s < 2 ** 31).toBe(true);
    for (const s of test) expect(s >= 2 ** 31 && s < 2 ** 32).toBe(true);
    expect(new Set(train).size).toBe(30);
    // procgenLevels: only the first n seeds of the split.
    for (const s of seeds({ procgenLevels: 3, procgenSplit: 'test' }, 30)) expect([0, 1, 2].map((i) => procgenSeed('test', i))).toContain(s);
    // A given seed, and the env plays the level generateLevel makes.
    const env = new Platformer({ level: 'procgen', procgenDifficulty: 0.7 });
    expect(env.reset({ options: { levelSeed: 123 } }).info.levelSeed).toBe(123);
    expect(env.level.rows).toEqual(generateLevel(123, { difficulty: 0.7 }).rows);
  });
});

describe('completable levels', () => {
  it('the scripted policy completes level 1', () => {
    const env = new Platformer({ level: 1 });
    for (let seed = 0; seed < 10; seed++) {
      env.reset({ seed });
      let r = env.step(scriptedAction(env.render()));
      for (let t = 1; t < 1000 && !r.terminated; t++) r = env.step(scriptedAction(env.render()));
      expect(r.info, `seed ${seed}`).toMatchObject({ completed: true, causeOfDeath: null });
      expect(env.render().steps).toBeLessThan(PLATFORMER_ENVS[0].maxEpisodeSteps / 2);
    }
  });

  it('the solver finds, and replays, a completion of every shipped level and of procgen levels of both splits', () => {
    const cases: Array<[PlatformerOptions, number, number]> = [];
    for (let n = 1; n <= LEVEL_COUNT; n++) cases.push([{ level: n }, 0, PLATFORMER_ENVS[n].maxEpisodeSteps]);
    for (const split of ['train', 'test'] as const) {
      for (const seed of [1, 2]) cases.push([{ level: 'procgen', procgenSplit: split, procgenDifficulty: 1 }, seed, 1500]);
    }
    for (const [opts, seed, limit] of cases) {
      const env = new Platformer(opts);
      const found = solveLevel(env, seed);
      expect(found.completed, JSON.stringify(opts)).toBe(true);
      expect(found.actions.length).toBeLessThan(limit / 2);
      const replay = new Platformer(opts);
      replay.reset({ seed });
      let last = null;
      for (const a of found.actions) last = replay.step(a);
      expect(last?.terminated).toBe(true);
      expect(last?.info.completed).toBe(true);
    }
  });
});

describe('PLATFORMER_ENVS', () => {
  it('registers level 1, each shipped level and procgen, with JSON kwargs', () => {
    expect(PLATFORMER_ENVS.map((r) => r.id)).toEqual([
      'Platformer-v0',
      ...Array.from({ length: LEVEL_COUNT }, (_, i) => `Platformer-${i + 1}-v0`),
      'Platformer-Procgen-v0',
    ]);
    for (const reg of PLATFORMER_ENVS) {
      expect(JSON.parse(JSON.stringify(reg.kwargs))).toEqual(reg.kwargs);
      expect(reg.maxEpisodeSteps).toBeGreaterThanOrEqual(1000);
      expect(reg.description.length).toBeGreaterThan(20);
    }
    expect(PLATFORMER_ENVS[0].kwargs.level).toBe(shippedLevel(1).rows.join('\n'));
    const procgen = PLATFORMER_ENVS[PLATFORMER_ENVS.length - 1];
    expect(procgen.kwargs).toMatchObject({ level: 'procgen', procgenSplit: 'train' });
    const test = procgen.entryPoint({ ...procgen.kwargs, procgenSplit: 'test' });
    expect(test.reset({ seed: 0 }).info.levelSeed as number).toBeGreaterThanOrEqual(2 ** 31);
  });
});
