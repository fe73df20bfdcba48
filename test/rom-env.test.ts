import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvContractError, InvalidInputError, Rng, checkEnv, envSpec, listEnvs, make, register, unregister } from '../core/index.ts';
import {
  CHIP8_GENERIC_ENV,
  KNOWN_GAMES,
  NOOP,
  RomEnv,
  keyMask,
  registerRoms,
  romEnvId,
  romSha256,
  validateSettings,
  type GameSettings,
  type RomEnvOptions,
  type RomState,
} from '../envs/rom/index.ts';

/**
 * A tiny hand-assembled "game", one loop iteration per 60 Hz frame (synchronised on the delay timer):
 * V0 and V1 count frames, V2 (the score) goes up by one on each frame key 5 is held, V3 (lives, 3 at the start)
 * goes down on each frame key 8 is held, VB = random & 0x1F, and the screen shows one pixel at (VB, VB).
 */
// prettier-ignore
const TINY = new Uint8Array([
  0x63, 0x03, // 200: V3 = 3
  0x64, 0x05, // 202: V4 = 5
  0x65, 0x08, // 204: V5 = 8
  0x66, 0x01, // 206: V6 = 1
  0xf7, 0x07, // 208: loop: V7 = DT
  0x37, 0x00, // 20A: skip if V7 == 0
  0x12, 0x08, // 20C: jump loop (wait for the next frame)
  0xf6, 0x15, // 20E: DT = V6
  0x70, 0x01, // 210: V0 += 1
  0x71, 0x01, // 212: V1 += 1
  0xe4, 0xa1, // 214: skip if key V4 (5) not held
  0x72, 0x01, // 216: V2 += 1
  0xe5, 0xa1, // 218: skip if key V5 (8) not held
  0x73, 0xff, // 21A: V3 -= 1
  0xcb, 0x1f, // 21C: VB = rand & 0x1F
  0x00, 0xe0, // 21E: clear
  0xa2, 0x28, // 220: I = 0x228
  0xdb, 0xb1, // 222: draw 1 row at (VB, VB)
  0x12, 0x08, // 224: jump loop
  0x00, 0x00, // 226: (padding)
  0x80, 0x00, // 228: sprite: one pixel
]);
const TINY_SHA = romSha256(TINY);
const END_FRAME = 40;

const TINY_SETTINGS: GameSettings = {
  name: 'tiny',
  sha256: TINY_SHA,
  profile: 'chip8',
  tickRate: 20,
  actions: [NOOP, { name: 'FIRE', keys: [5] }, { name: 'HIT', keys: [8] }],
  reward: (s, p) => s.v[2] - p.v[2],
  terminal: (s) => s.v[1] >= END_FRAME || s.v[3] === 0,
  lives: (s) => s.v[3],
  score: (s) => s.v[2],
};
const NOOP_A = 0;
const FIRE = 1;
const HIT = 2;

/** One reset frame lets the program set V3 (lives) before the episode starts. */
const RESET_FRAMES = 1;
const tiny = (o: Partial<RomEnvOptions> = {}): RomEnv => new RomEnv({ rom: TINY, settings: TINY_SETTINGS, resetFrames: RESET_FRAMES, ...o });

function litPixels(obs: Uint8Array): number[] {
  const out: number[] = [];
  obs.forEach((v, k) => {
    if (v !== 0) out.push(k);
  });
  return out;
}

describe('RomEnv on a hand-assembled ROM', () => {
  it('has a Discrete action space of the minimal action set and a [32, 64, 1] uint8 pixel box', () => {
    const env = tiny();
    expect(env.actionSpace.n).toBe(3);
    expect(env.getActionMeanings()).toEqual(['NOOP', 'FIRE', 'HIT']);
    expect(env.observationSpace.shape).toEqual([32, 64, 1]);
    expect(env.observationSpace.dtype).toBe('uint8');
    expect(env.sha256).toBe(TINY_SHA);
  });

  it('sums the reward over the skipped frames, and reports score, lives and frame in info', () => {
    const env = tiny({ repeatActionProbability: 0 });
    const r0 = env.reset({ seed: 1 });
    expect(r0.info).toEqual({ lives: 3, frame: 0, score: 0 });
    const a = env.step(FIRE);
    expect(a.reward).toBe(4);
    expect(a.info).toEqual({ lives: 3, frame: 4, score: 4 });
    expect(env.step(NOOP_A).reward).toBe(0);
    const c = tiny({ repeatActionProbability: 0, frameSkip: 3 });
    c.reset({ seed: 1 });
    expect(c.step(FIRE).reward).toBe(3);
    expect(c.vm.v[0]).toBe(RESET_FRAMES + 3); // one loop iteration per frame
  });

  it('shows the machine screen as 0/255 pixels, and render() as JSON rows of 0/1', () => {
    const env = tiny();
    env.reset({ seed: 3 });
    const r = env.step(NOOP_A);
    const vb = env.vm.v[0xb];
    expect(litPixels(r.observation)).toEqual([vb * 64 + vb]);
    expect(r.observation[vb * 64 + vb]).toBe(255);
    const frame = env.render();
    expect(JSON.parse(JSON.stringify(frame))).toEqual(frame);
    expect(frame.kind).toBe('chip8');
    expect(frame.width).toBe(64);
    expect(frame.height).toBe(32);
    const rows = (frame.pixels as string).split('\n');
    expect(rows).toHaveLength(32);
    expect(rows.every((row) => row.length === 64 && /^[01]+$/.test(row))).toBe(true);
    expect(rows[vb][vb]).toBe('1');
    expect((frame.pixels as string).split('1')).toHaveLength(2);
  });

  it('terminates when terminal(state) holds, mid frame skip', () => {
    const env = tiny({ repeatActionProbability: 0, frameSkip: 3 });
    env.reset({ seed: 0 });
    let t = 0;
    let last;
    do {
      last = env.step(NOOP_A);
      t++;
    } while (!last.terminated && t < 100);
    expect(last.terminated).toBe(true);
    expect(last.truncated).toBe(false);
    const frames = END_FRAME - RESET_FRAMES; // 39
    expect(t).toBe(Math.ceil(frames / 3));
    expect(last.info.frame).toBe(frames); // stopped after the last 3 frames' first
    expect(() => env.step(NOOP_A)).toThrow(EnvContractError);
  });

  it('reads lives, ends at 0 lives, and optionally on each life lost', () => {
    const env = tiny({ repeatActionProbability: 0, frameSkip: 1 });
    env.reset({ seed: 0 });
    expect(env.step(HIT).info.lives).toBe(2);
    expect(env.step(HIT).info.lives).toBe(1);
    const end = env.step(HIT);
    expect(end.info.lives).toBe(0);
    expect(end.terminated).toBe(true);
    const strict = tiny({ repeatActionProbability: 0, frameSkip: 4, terminalOnLifeLoss: true });
    strict.reset({ seed: 0 });
    expect(strict.step(NOOP_A).terminated).toBe(false);
    const lost = strict.step(HIT);
    expect(lost.terminated).toBe(true);
    expect(lost.info).toMatchObject({ lives: 2, frame: 5 });
  });

  it('sticky actions: keep the previous keys with probability p per frame, reproducibly under a seed', () => {
    const run = (seed: number, p: number): number[] => {
      const env = tiny({ repeatActionProbability: p, frameSkip: 4 });
      env.reset({ seed });
      const rewards: number[] = [];
      for (let t = 0; t < 9; t++) rewards.push(env.step(t % 2 === 0 ? NOOP_A : FIRE).reward);
      return rewards;
    };
    expect(run(0, 0)).toEqual([0, 4, 0, 4, 0, 4, 0, 4, 0]);
    const a = run(5, 0.5);
    expect(run(5, 0.5)).toEqual(a);
    // With p = 0.5 the FIRE after a NOOP starts late and the NOOP after a FIRE keeps firing, somewhere.
    const many = [0, 1, 2, 3, 4, 5].flatMap((s) => run(s, 0.5));
    expect(many.some((r, k) => k % 9 % 2 === 1 && r < 4)).toBe(true);
    expect(many.some((r, k) => k % 9 % 2 === 0 && r > 0)).toBe(true);
    expect(many.every((r) => r >= 0 && r <= 4)).toBe(true);
    expect(tiny().repeatActionProbability).toBe(0.25);
  });

  it('gives the same episode for the same seed, and seeds the machine RNG from the env RNG', () => {
    const episode = (seed: number): unknown[] => {
      const env = tiny();
      const acts = new Rng(99);
      const out: unknown[] = [Array.from(env.reset({ seed }).observation)];
      for (let t = 0; t < 12; t++) {
        const r = env.step(acts.int(3));
        out.push(Array.from(r.observation), r.reward, r.terminated, r.truncated, r.info);
        if (r.terminated) break;
      }
      return out;
    };
    expect(episode(11)).toEqual(episode(11));
    expect(episode(11)).not.toEqual(episode(12));
  });

  it('passes checkEnv', () => {
    const report = checkEnv(tiny(), { steps: 150 });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    checkEnv(tiny({ observation: 'ram', noopMax: 5, maxFrames: 30 }), { steps: 100 });
  });

  it('continues exactly from cloneState/restoreState', () => {
    const env = tiny({ repeatActionProbability: 0.5 });
    env.reset({ seed: 8 });
    env.step(FIRE);
    const saved = env.cloneState();
    const go = (): unknown[] => [0, 1, 1, 0, 1].map((a) => {
      const r = env.step(a);
      return [Array.from(r.observation), r.reward, r.info];
    });
    const first = go();
    env.restoreState(saved);
    expect(go()).toEqual(first);
  });

  it('runs starting actions and up to noopMax no-ops at reset', () => {
    const started = tiny({ settings: { ...TINY_SETTINGS, startingActions: [{ keys: [5], frames: 2 }, { keys: [], frames: 1 }] } });
    const r = started.reset({ seed: 0 });
    expect(r.info).toEqual({ lives: 3, frame: 0, score: 2 });
    expect(started.vm.v[0]).toBe(RESET_FRAMES + 3);
    expect(tiny({ resetFrames: undefined }).resetFrames).toBe(60);
    const frames = new Set<number>();
    const env = tiny({ noopMax: 6 });
    for (let s = 0; s < 40; s++) {
      env.reset({ seed: s });
      expect(env.vm.v[0] - RESET_FRAMES).toBeLessThanOrEqual(6);
      frames.add(env.vm.v[0]);
    }
    expect(frames.size).toBeGreaterThan(3);
    env.reset({ seed: 4 });
    const n = env.vm.v[0];
    env.reset({ seed: 4 });
    expect(env.vm.v[0]).toBe(n);
  });

  it('truncates at maxFrames', () => {
    const env = tiny({ maxFrames: 10, repeatActionProbability: 0 });
    env.reset({ seed: 0 });
    expect(env.step(NOOP_A).truncated).toBe(false);
    expect(env.step(NOOP_A).truncated).toBe(false);
    const r = env.step(NOOP_A);
    expect(r.truncated).toBe(true);
    expect(r.terminated).toBe(false);
    expect(r.info.frame).toBe(10);
  });

  it('max-pools the last two frames when asked', () => {
    const env = tiny({ maxPool: true, repeatActionProbability: 0 });
    env.reset({ seed: 2 });
    let two = false;
    for (let t = 0; t < 8; t++) {
      const lit = litPixels(env.step(NOOP_A).observation);
      expect(lit.length === 1 || lit.length === 2).toBe(true);
      if (lit.length === 2) two = true;
    }
    expect(two).toBe(true);
  });

  it('observes RAM as V0..VF then memory', () => {
    const env = tiny({ observation: 'ram', repeatActionProbability: 0 });
    expect(env.observationSpace.shape).toEqual([16 + 4096]);
    const r = env.step === undefined ? null : (env.reset({ seed: 0 }), env.step(FIRE));
    expect(Array.from(r!.observation.subarray(0, 16))).toEqual(Array.from(env.vm.v));
    expect(r!.observation[16 + 0x200]).toBe(0x63);
  });

  it('uses a 64x128 observation for SUPER-CHIP profiles, low-res scaled 2x', () => {
    const env = tiny({ settings: { ...TINY_SETTINGS, profile: 'schip-modern' } });
    expect(env.observationSpace.shape).toEqual([64, 128, 1]);
    const r = (env.reset({ seed: 3 }), env.step(NOOP_A));
    const vb = env.vm.v[0xb];
    const at = (y: number, x: number): number => y * 128 + x;
    expect(litPixels(r.observation)).toEqual([at(2 * vb, 2 * vb), at(2 * vb, 2 * vb + 1), at(2 * vb + 1, 2 * vb), at(2 * vb + 1, 2 * vb + 1)]);
  });

  it('rejects an unknown ROM by naming its checksum and the known games, and bad options', () => {
    expect(() => new RomEnv({ rom: TINY })).toThrow(InvalidInputError);
    expect(() => new RomEnv({ rom: TINY })).toThrow(`unknown ROM, sha256 ${TINY_SHA}`);
    expect(() => new RomEnv({ rom: TINY })).toThrow(/dinorun \(7663be25/);
    expect(() => new RomEnv({ rom: '/nonexistent/x.ch8' })).toThrow(/cannot read the ROM file/);
    expect(() => tiny({ frameSkip: 0 })).toThrow(/frameSkip/);
    expect(() => tiny({ repeatActionProbability: 2 })).toThrow(/repeatActionProbability/);
    expect(() => tiny({ settings: { ...TINY_SETTINGS, actions: [{ name: 'X', keys: [16] }] } })).toThrow(/keys/);
    const env = tiny();
    expect(() => env.step(0)).toThrow(/reset\(\) before step/);
    env.reset({ seed: 0 });
    expect(() => env.step(3)).toThrow(/0\.\.2/);
  });

  it('reads a ROM from a file path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rom-env-'));
    try {
      writeFileSync(join(dir, 'tiny.ch8'), TINY);
      const env = new RomEnv({ rom: join(dir, 'tiny.ch8'), settings: TINY_SETTINGS, repeatActionProbability: 0, resetFrames: RESET_FRAMES });
      env.reset({ seed: 0 });
      expect(env.step(FIRE).reward).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('known games and registerRoms', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roms-'));
  const ids: string[] = [];
  afterAll(() => {
    for (const id of ids) unregister(id);
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds valid settings for the seven known games, keyed by their SHA-256', () => {
    expect([...KNOWN_GAMES.values()].map((g) => g.name).sort()).toEqual(['br8kout', 'dinorun', 'flightrunner', 'snake', 'spacejam', 'superpong', 'sweetcopter']);
    for (const [sha, g] of KNOWN_GAMES) {
      expect(g.sha256).toBe(sha);
      expect(sha).toMatch(/^[0-9a-f]{64}$/);
      expect(() => validateSettings(g)).not.toThrow();
      expect(g.actions[0].keys).toEqual([]);
    }
    expect(KNOWN_GAMES.get('7663be25d36d057c278ea29f614ccf4a931f82cb57ab7cde0d2ac953932e6c9b')?.tickRate).toBe(15);
    expect(romEnvId('dinorun')).toBe('Chip8-Dinorun-v0');
    expect(keyMask([5, 8])).toBe(0x120);
  });

  it('reads the known games\' registers as checked against the real ROMs (see games.ts)', () => {
    const game = (name: string): GameSettings => [...KNOWN_GAMES.values()].find((g) => g.name === name)!;
    const state = (regs: Record<number, number>, waitingForKey = false, framebuffer = new Uint8Array(2048)): RomState => {
      const v = new Uint8Array(16);
      for (const [r, x] of Object.entries(regs)) v[Number(r)] = x;
      return { v, i: 0, memory: new Uint8Array(4096), framebuffer, width: 64, height: 32, frame: 0, waitingForKey, halted: false };
    };
    // dinorun polls key 5 with Ex9E on its game-over screen: the end is VB = 12 (the final score's row), not Fx0A.
    const dino = game('dinorun');
    expect(dino.score!(state({ 6: 2, 0xc: 3 }))).toBe(23);
    expect(dino.reward(state({ 6: 2, 0xc: 4, 0xb: 2 }), state({ 6: 2, 0xc: 3, 0xb: 2 }))).toBe(1);
    // 9 -> 0 (the game sets VC = 0 before V6 += 1) is a point; 0 -> 0 with V6 + 1 is not a second one
    expect(dino.reward(state({ 6: 0, 0xc: 0, 0xb: 2 }), state({ 6: 0, 0xc: 9, 0xb: 2 }))).toBe(1);
    expect(dino.reward(state({ 6: 1, 0xc: 0, 0xb: 2 }), state({ 6: 0, 0xc: 0, 0xb: 2 }))).toBe(0);
    expect(dino.terminal(state({ 0xb: 12 }))).toBe(true);
    expect(dino.terminal(state({ 0xb: 2 }, true))).toBe(false);
    // spacejam: VA counts ships in reserve; the end is the Fx0A wait with none left
    const jam = game('spacejam');
    expect(jam.lives!(state({ 0xa: 3 }))).toBe(3);
    expect(jam.terminal(state({ 0xa: 0 }))).toBe(false); // the last ship is flying
    expect(jam.terminal(state({ 0xa: 1 }, true))).toBe(false); // waiting to start the next turn
    expect(jam.terminal(state({ 0xa: 0 }, true))).toBe(true);
    expect(jam.reward(state({ 9: 7 }), state({ 9: 4 }))).toBe(3);
    const copter = game('sweetcopter');
    expect(copter.terminal(state({ 8: 1 }))).toBe(true);
    expect(copter.reward(state({ 7: 2 }), state({ 7: 1 }))).toBe(1);
    expect(copter.reward(state({ 7: 0 }), state({ 7: 255 }))).toBe(1);
    const pong = game('superpong');
    expect(pong.reward(state({ 0xd: 4, 3: 20, 4: 10 }), state({ 0xd: 3, 3: 20, 4: 10 }))).toBe(1);
    expect(pong.terminal(state({ 3: 20, 4: 31 }))).toBe(true); // the ball on the border
    expect(pong.reward(state({ 0xd: 4, 3: 20, 4: 31 }), state({ 0xd: 3, 3: 20, 4: 30 }))).toBe(0);
    expect(pong.terminal(state({ 3: 20, 4: 10 }))).toBe(false);
    // flightrunner: the game-over routine sets V1 = 14; V5/V7 (a published wrapper's registers) are never written
    const flight = game('flightrunner');
    expect(flight.terminal(state({ 1: 14 }))).toBe(true);
    expect(flight.terminal(state({ 5: 255, 7: 255, 1: 2 }))).toBe(false);
    expect(flight.reward(state({ 0xc: 64 }), state({ 0xc: 4 }))).toBe(1);
    expect(flight.reward(state({ 0xc: 64 }), state({ 0xc: 64 }))).toBe(0);
    // br8kout: bricks counted on the screen, the first missed ball ends the episode
    const wall = new Uint8Array(2048);
    for (let y = 2; y <= 14; y += 2) for (let x = 5; x <= 53; x += 8) wall.fill(1, y * 64 + x, y * 64 + x + 6);
    const hit = wall.slice();
    hit.fill(0, 2 * 64 + 5, 2 * 64 + 11); // one brick gone
    hit[4 * 64 + 13] = 0; // the ball over another: still standing
    const brk = game('br8kout');
    expect(brk.reward(state({ 0xa: 3 }, false, hit), state({ 0xa: 4 }, false, wall))).toBe(1);
    expect(brk.score!(state({}, false, hit))).toBe(1);
    expect(brk.terminal(state({ 0xa: 31 }, false, wall))).toBe(true);
    expect(brk.terminal(state({ 0xa: 20 }, false, wall))).toBe(false);
    expect(brk.terminal(state({ 0xa: 20 }))).toBe(true); // no bricks left
    const snake = game('snake');
    expect(snake.reward(state({ 0xd: 6 }), state({ 0xd: 5 }))).toBe(1);
    expect(snake.terminal(state({ 0xd: 1 }, true))).toBe(true);
    expect(snake.score!(state({ 0xd: 7 }))).toBe(2);
  });

  it('registers nothing by default', () => {
    expect(listEnvs().some((s) => s.id.startsWith('Chip8-'))).toBe(false);
    expect(CHIP8_GENERIC_ENV.id).toBe('Chip8-v0');
  });

  it('CHIP8_GENERIC_ENV makes any ROM with its settings', () => {
    register({ ...CHIP8_GENERIC_ENV, kwargs: { ...CHIP8_GENERIC_ENV.kwargs } });
    ids.push('Chip8-v0');
    const env = make('Chip8-v0', { rom: TINY, settings: TINY_SETTINGS, repeatActionProbability: 0, resetFrames: RESET_FRAMES });
    env.reset({ seed: 0 });
    expect(env.step(FIRE).reward).toBe(4);
    expect(() => make('Chip8-v0', { rom: TINY })).toThrow(/unknown ROM/);
  });

  it('registers the recognised ROMs of a folder as Chip8-<Name>-v0 and skips the others', () => {
    writeFileSync(join(dir, 'tiny.ch8'), TINY);
    writeFileSync(join(dir, 'unknown.ch8'), new Uint8Array([0x12, 0x00]));
    writeFileSync(join(dir, 'notes.txt'), 'not a rom');
    const got = registerRoms(dir, { games: [TINY_SETTINGS] });
    ids.push(...got.map((g) => g.id));
    expect(got).toEqual([{ id: 'Chip8-Tiny-v0', name: 'tiny', path: join(dir, 'tiny.ch8'), sha256: TINY_SHA }]);
    expect(envSpec('Chip8-Tiny-v0').kwargs).toMatchObject({ rom: join(dir, 'tiny.ch8'), maxFrames: 108_000 });
    const env = make('Chip8-Tiny-v0', { repeatActionProbability: 0, resetFrames: RESET_FRAMES });
    env.reset({ seed: 0 });
    expect(env.step(FIRE).reward).toBe(4);
    // Without the extra settings nothing in the folder is a known game.
    expect(registerRoms(dir)).toEqual([]);
    expect(() => registerRoms(join(dir, 'missing'))).toThrow(/cannot read the folder/);
  });
});
