import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, Rng, checkEnv, make, register, unregister, unwrap } from '../core/index.ts';
import { assemble } from '../envs/rom/asm/index.ts';
import { RomEnv, romSha256, validateSettings, type RomEnvOptions } from '../envs/rom/index.ts';
import {
  OWN_GAMES,
  OWN_GAME_ENVS,
  OWN_GAME_MAX_FRAMES,
  OWN_GAME_NAMES,
  ownGame,
  ownGameRom,
  ownGameSource,
  ownScriptedPolicy,
  type OwnGameName,
} from '../envs/rom/own/index.ts';

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function game(name: OwnGameName, opts: Omit<RomEnvOptions, 'rom' | 'settings'> = {}): RomEnv {
  return new RomEnv({ rom: ownGameRom(name), settings: ownGame(name), ...opts });
}

/** `"0*3 2*2"` -> `[0, 0, 0, 2, 2]`. */
function expand(seq: string): number[] {
  return seq.split(' ').flatMap((t) => {
    const [a, n] = t.split('*').map(Number);
    return new Array<number>(n).fill(a);
  });
}

interface Played {
  total: number;
  steps: number;
  terminated: boolean;
  truncated: boolean;
  score: number;
  scores: number[];
}

/** Plays one episode (at most `maxSteps`) with `policy` reading the machine's registers. */
function play(env: RomEnv, seed: number, policy: (v: Uint8Array, step: number) => number, maxSteps: number): Played {
  env.reset({ seed });
  const out: Played = { total: 0, steps: 0, terminated: false, truncated: false, score: 0, scores: [] };
  while (out.steps < maxSteps) {
    const r = env.step(policy(env.vm.v, out.steps));
    out.steps++;
    out.total += r.reward;
    out.score = r.info.score as number;
    out.scores.push(out.score);
    if (r.terminated || r.truncated) {
      out.terminated = r.terminated;
      out.truncated = r.truncated;
      break;
    }
  }
  return out;
}

const nonDecreasing = (xs: number[]): boolean => xs.every((x, k) => k === 0 || x >= xs[k - 1]);

describe('own CHIP-8 games: ROMs', () => {
  it('assemble from their Octo sources, with the checksums OWN_GAMES gives', () => {
    expect(OWN_GAMES.map((g) => g.name)).toEqual(['breakout', 'dodge', 'runner']);
    for (const name of OWN_GAME_NAMES) {
      const { rom, labels } = assemble(ownGameSource(name), { file: `${name}.8o` });
      expect(ownGameRom(name)).toEqual(rom);
      expect(ownGame(name).sha256).toBe(romSha256(rom));
      expect(() => validateSettings(ownGame(name))).not.toThrow();
      expect(labels.get('main')).toBe(0x200);
      expect(rom.length).toBeGreaterThan(100);
      expect(rom.length).toBeLessThanOrEqual(3584);
    }
  });

  it('hands out copies of the ROMs and names an unknown game', () => {
    const a = ownGameRom('dodge');
    a[0] ^= 0xff;
    expect(ownGameRom('dodge')[0]).not.toBe(a[0]);
    expect(() => ownGameRom('pong')).toThrow(InvalidInputError);
    expect(() => ownGameRom('pong')).toThrow(/unknown game "pong", expected one of breakout, dodge, runner/);
  });
});

/**
 * Golden screens: SHA-256 of the framebuffer after reset and after a fixed action sequence (no sticky actions,
 * seed 7), with the score reached. The sequences were recorded once from the scripted players and the screens
 * checked by eye (ASCII) before the hashes were frozen. After reset: breakout's full wall, score 000, 3 lives and
 * the paddle in the middle; dodge's first block on screen; runner on the ground, the first pit coming in. At the
 * end: breakout shows the score 008, 3 lives, 8 bricks gone and the paddle at the left with the ball over it; dodge
 * the score 008, one block falling and the player in the middle; runner the score 005, the runner on the ground and
 * the next pit coming in at the right.
 */
const GOLDEN: Record<OwnGameName, { start: string; seq: string; score: number; end: string }> = {
  breakout: {
    start: 'f008c911c958b68958ade99f1aa9eafd4eb3cd3d7556b590f9a173febd3100ec',
    seq:
      '0*12 1*3 0*19 2*4 0*2 2*4 0*2 2*4 0*2 2*14 0*9 1*1 0*3 1*2 0*1 1*2 0*1 1*2 0*1 1*2 0*1 1*2 0*1 1*2 0*1 1*14 0*14 ' +
      '1*2 0*1 1*2 0*1 1*2 0*1 1*2 0*1 1*2 0*1 1*2 0*1 1*25 0*2 2*39 0*2 2*8 0*1 1*33 2*1 0*2 1*2 0*1 1*2 0*1 1*2 0*1 ' +
      '1*2 0*1 1*2 0*1 1*2 0*23 1*1 0*2 1*1 0*2 1*8 0*3 2*4 0*1 2*11 0*11 1*1 0*2 1*1 0*2 1*1 0*2 1*1 0*2 1*1 0*2 1*1 ' +
      '0*2 1*1 0*2 1*1 0*2 2*6 0*19 1*1 0*3 1*2 0*1 1*2 0*1 1*1',
    score: 8,
    end: '16e89f29896558ee1104d0f27fa7a00bdac630b51159e0d1e3e89d55c6fc0279',
  },
  dodge: {
    start: '913caf949caeb10f2585c8441d4c532c660f1e025fd193fcd3fe7c151f1a4cb9',
    seq: '0*139 2*3 0*128 1*1 0*29',
    score: 8,
    end: 'c96eeaf5933722c6d4c80038d916d654f8c6c1d4c9200af1cbf32c7762de7a59',
  },
  runner: {
    start: '1b56ad88c167af0da97e4f13172c5167a8fe2a9ff833725a20224bb56e1d2b69',
    seq: '0*25 1*1 0*57 1*1 0*64 1*1 0*52 1*1 0*65 1*1 0*32',
    score: 5,
    end: 'e45608a8c415c2a9a04105d1cc859fa851e3a3561d7b5b5606fe7bbe403bc1f9',
  },
};

describe('own CHIP-8 games: golden screens and determinism', () => {
  for (const name of OWN_GAME_NAMES) {
    it(`${name}: the screen after a fixed input sequence matches its golden hash`, () => {
      const g = GOLDEN[name];
      const env = game(name, { repeatActionProbability: 0 });
      env.reset({ seed: 7 });
      expect(sha(env.vm.framebuffer)).toBe(g.start);
      const actions = expand(g.seq);
      const out = play(env, 7, (_v, k) => actions[k], actions.length);
      expect(out.steps).toBe(actions.length);
      expect(out.score).toBe(g.score);
      expect(sha(env.vm.framebuffer)).toBe(g.end);
    });
  }

  for (const name of OWN_GAME_NAMES) {
    it(`${name}: the same seed and actions give the same episode, another seed another one`, () => {
      const episode = (seed: number): string[] => {
        const env = game(name);
        const rng = new Rng(5);
        const hashes = [sha(env.reset({ seed }).observation)];
        for (let k = 0; k < 300; k++) {
          const r = env.step(rng.int(env.actionSpace.n));
          hashes.push(`${sha(r.observation)} ${r.reward} ${r.terminated}`);
          if (r.terminated) break;
        }
        return hashes;
      };
      expect(episode(3)).toEqual(episode(3));
      expect(episode(3)).not.toEqual(episode(4));
    });
  }
});

describe('own CHIP-8 games: rules', () => {
  it('breakout: the scripted paddle scores, the score only goes up and the rewards add up to it', () => {
    const out = play(game('breakout'), 0, ownScriptedPolicy('breakout'), 1500);
    expect(out.score).toBeGreaterThanOrEqual(10);
    expect(out.total).toBe(out.score);
    expect(nonDecreasing(out.scores)).toBe(true);
  });

  it('breakout: a still paddle loses its 3 lives one by one and the game ends', () => {
    const env = game('breakout', { repeatActionProbability: 0 });
    env.reset({ seed: 1 });
    const lives = [env.step(0).info.lives as number];
    let terminated = false;
    for (let k = 0; k < 2000 && !terminated; k++) {
      const r = env.step(0);
      if (r.info.lives !== lives[lives.length - 1]) lives.push(r.info.lives as number);
      terminated = r.terminated;
    }
    expect(terminated).toBe(true);
    expect(lives).toEqual([3, 2, 1, 0]);
    expect(env.vm.v[0xd]).toBe(1);
  });

  it('breakout: with terminalOnLifeLoss the episode ends on the first missed ball', () => {
    const out = play(game('breakout', { terminalOnLifeLoss: true, repeatActionProbability: 0 }), 1, () => 0, 2000);
    expect(out.terminated).toBe(true);
  });

  it('breakout: the wall refills once its last brick is hit', () => {
    const wall = assemble(ownGameSource('breakout')).labels.get('wall') as number;
    const env = game('breakout');
    env.reset({ seed: 0 });
    env.vm.v[9] = 1; // pretend the next brick is the last one (the screen is not redrawn: this checks the logic)
    const policy = ownScriptedPolicy('breakout');
    let scored = false;
    for (let k = 0; k < 1500 && !scored; k++) scored = env.step(policy(env.vm.v)).reward > 0;
    expect(scored).toBe(true);
    for (let k = 0; k < 30; k++) env.step(0); // let the refill finish
    expect(env.vm.v[9]).toBe(64);
    expect(Array.from(env.vm.memory.subarray(wall, wall + 64))).toEqual(new Array<number>(64).fill(1));
  });

  it('dodge: a random player is hit; the scripted player outlasts and outscores it', () => {
    const rng = new Rng(0);
    const random = [0, 1, 2].map((seed) => play(game('dodge'), seed, () => rng.int(3), 5000));
    expect(random.every((r) => r.terminated)).toBe(true);
    const scripted = [0, 1, 2].map((seed) => play(game('dodge'), seed, ownScriptedPolicy('dodge'), 5000));
    const mean = (rs: Played[]): number => rs.reduce((a, r) => a + r.score, 0) / rs.length;
    expect(mean(scripted)).toBeGreaterThan(4 * mean(random) + 20);
    for (const r of [...random, ...scripted]) {
      expect(r.total).toBe(r.score);
      expect(nonDecreasing(r.scores)).toBe(true);
    }
  });

  it('runner: standing still falls into the first pit; the scripted jumper clears pits', () => {
    const still = play(game('runner'), 0, () => 0, 2000);
    expect(still.terminated).toBe(true);
    expect(still.score).toBe(0);
    const jumper = play(game('runner'), 0, ownScriptedPolicy('runner'), 1500);
    expect(jumper.terminated).toBe(false);
    expect(jumper.score).toBeGreaterThanOrEqual(20);
    expect(jumper.total).toBe(jumper.score);
    expect(nonDecreasing(jumper.scores)).toBe(true);
  });
});

describe('own CHIP-8 games: registrations', () => {
  it('registers Chip8-Breakout-v0, Chip8-Dodge-v0 and Chip8-Runner-v0 with plain-data kwargs', () => {
    expect(OWN_GAME_ENVS.map((r) => r.id)).toEqual(['Chip8-Breakout-v0', 'Chip8-Dodge-v0', 'Chip8-Runner-v0']);
    for (const reg of OWN_GAME_ENVS) {
      expect(JSON.parse(JSON.stringify(reg.kwargs))).toEqual({ maxFrames: OWN_GAME_MAX_FRAMES });
      expect(reg.description.length).toBeGreaterThan(20);
    }
    expect(() => OWN_GAME_ENVS[0].entryPoint({ rom: new Uint8Array(4) })).toThrow(/kwargs may not set "rom"/);
  });

  for (const reg of OWN_GAME_ENVS) {
    it(`${reg.id} passes checkEnv`, () => {
      const report = checkEnv(reg.entryPoint({ ...reg.kwargs }), { steps: 300 });
      expect(report.errors).toEqual([]);
    });
  }

  it('make() runs a registered own game and the frame cap truncates', () => {
    const reg = OWN_GAME_ENVS[2];
    const id = 'TestOwnGames-Runner-v0';
    register({ id, entryPoint: reg.entryPoint, kwargs: { ...reg.kwargs, maxFrames: 400 }, description: reg.description });
    try {
      const env = make(id);
      const inner = unwrap(env);
      expect(inner).toBeInstanceOf(RomEnv);
      env.reset({ seed: 0 });
      const policy = ownScriptedPolicy('runner');
      let steps = 0;
      let truncated = false;
      while (!truncated) {
        const r = env.step(policy((inner as RomEnv).vm.v));
        steps++;
        truncated = r.truncated;
        expect(r.terminated).toBe(false);
      }
      expect(steps).toBe(100);
    } finally {
      unregister(id);
    }
  });
});
