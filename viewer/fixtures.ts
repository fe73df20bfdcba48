/**
 * Small run folders for the viewer's tests and bench, written as plain episode-format text (no TF.js, no envs):
 * grid episodes with a known path and Q-values, a generic 84x84 "pixels" episode, a cart-pole episode, a corrupt
 * file, metrics and config. The CHIP-8 episode is the exception: `writeChip8Episode` records a real `RomEnv` run of
 * a hand-assembled ROM (it loads the envs, and so TF.js, on first use).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GameSettings } from '../envs/rom/index.ts';

export const GRID_MAP = ['#######', '#S..K.#', '#.###D#', '#..L..#', '#....G#', '#######'];
/** The agent's cells, position 0 (initial frame) to the end. */
export const GRID_PATH: Array<[number, number]> = [
  [1, 1],
  [2, 1],
  [3, 1],
  [3, 1],
  [2, 1],
  [1, 1],
  [1, 2],
  [1, 3],
  [2, 3],
  [2, 4],
  [3, 4],
  [4, 4],
  [5, 4],
];

function line(obj: unknown): string {
  return `${JSON.stringify(obj)}\n`;
}

function header(envId: string, kind: string, fps: number, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'header',
    format: 'arcade-rl-episode',
    version: 1,
    envId,
    seed: 0,
    observationSpace: { type: 'Discrete', n: 42, start: 0 },
    actionSpace: { type: 'Discrete', n: 4, start: 0 },
    render: { kind, fps },
    createdAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

function gridFrame(i: number): Record<string, unknown> {
  const [x, y] = GRID_PATH[i];
  return { kind: 'grid', width: 7, height: 6, tiles: GRID_MAP, agent: { x, y }, hasKey: false, slippery: false };
}

/** A grid episode following GRID_PATH, with Q-values. */
export function gridEpisodeText(trainingStep: number, episodeIndex: number): string {
  let text = line(header('GridWorld-Viewer-v0', 'grid', 8, { trainingStep, episodeIndex, agent: 'dqn', initialFrame: gridFrame(0) }));
  let ret = 0;
  const n = GRID_PATH.length - 1;
  for (let t = 0; t < n; t++) {
    const [x0, y0] = GRID_PATH[t];
    const [x1, y1] = GRID_PATH[t + 1];
    const action = y1 < y0 ? 0 : x1 > x0 ? 1 : y1 > y0 ? 2 : 3;
    const last = t === n - 1;
    const reward = last ? 1 : -0.01;
    ret += reward;
    const q = [0, 1, 2, 3].map((a) => (a === action ? 0.5 + t / 100 : -0.2 + a / 10));
    text += line({ type: 'step', t, action, reward, terminated: last, truncated: false, frame: gridFrame(t + 1), annotations: { qValues: q, value: 0.1 * t } });
  }
  text += line({ type: 'end', return: ret, length: n, terminated: true, truncated: false });
  return text;
}

/** A generic episode whose frames are 84x84 numbers (drawn by the heatmap fallback). */
export function pixelsEpisodeText(steps: number): string {
  const frame = (t: number): Record<string, unknown> => {
    const pixels: number[] = new Array(84 * 84);
    for (let y = 0; y < 84; y++) for (let x = 0; x < 84; x++) pixels[y * 84 + x] = ((x + t) ^ y) & 255;
    return { kind: 'pixels84', width: 84, height: 84, pixels };
  };
  let text = line(header('Pixels-Viewer-v0', 'pixels84', 60, { trainingStep: 0, initialFrame: frame(0) }));
  for (let t = 0; t < steps; t++) {
    const last = t === steps - 1;
    text += line({ type: 'step', t, action: t % 4, reward: 1, terminated: false, truncated: last, frame: frame(t + 1), annotations: { actionProbs: [0.1, 0.2, 0.3, 0.4] } });
  }
  text += line({ type: 'end', return: steps, length: steps, terminated: false, truncated: true });
  return text;
}

export function cartpoleEpisodeText(steps: number): string {
  const frame = (t: number): Record<string, unknown> => ({ kind: 'cartpole', x: Math.sin(t / 10), theta: 0.15 * Math.sin(t / 5), xThreshold: 2.4, thetaThreshold: 0.2095 });
  let text = line(header('CartPole-v1', 'cartpole', 50, { trainingStep: 100, initialFrame: frame(0) }));
  for (let t = 0; t < steps; t++) {
    const last = t === steps - 1;
    text += line({ type: 'step', t, action: t % 2, reward: 1, terminated: false, truncated: last, frame: frame(t + 1) });
  }
  text += line({ type: 'end', return: steps, length: steps, terminated: false, truncated: true });
  return text;
}

export interface DemoRunOptions {
  /** Number of grid episodes (default 3). */
  gridEpisodes?: number;
  /** Add a corrupt episode file (default true). */
  corrupt?: boolean;
  pixels?: boolean;
  cartpole?: boolean;
  platformer?: boolean;
  metrics?: boolean;
}

/** Name of the corrupt episode in a demo run, and the line its error names. */
export const CORRUPT_NAME = 'episode-000002-corrupt.jsonl';
export const CORRUPT_LINE = 4;

/** Writes a run folder: config.json, metrics.jsonl, episodes/. Returns the episode file names written. */
export function writeDemoRun(dir: string, opts: DemoRunOptions = {}): string[] {
  const epDir = path.join(dir, 'episodes');
  fs.mkdirSync(epDir, { recursive: true });
  const names: string[] = [];
  const n = opts.gridEpisodes ?? 3;
  for (let i = 0; i < n; i++) {
    const name = `episode-${String(i * 2 + 1).padStart(6, '0')}.jsonl`;
    fs.writeFileSync(path.join(epDir, name), gridEpisodeText(i * 1000, i));
    names.push(name);
  }
  if (opts.corrupt !== false) {
    const lines = gridEpisodeText(500, 1).split('\n');
    lines[CORRUPT_LINE - 1] = lines[CORRUPT_LINE - 1].slice(0, 40); // cut a step line in half
    fs.writeFileSync(path.join(epDir, CORRUPT_NAME), lines.join('\n'));
    names.push(CORRUPT_NAME);
  }
  if (opts.pixels) {
    fs.writeFileSync(path.join(epDir, 'pixels-000001.jsonl'), pixelsEpisodeText(120));
    names.push('pixels-000001.jsonl');
  }
  if (opts.cartpole) {
    fs.writeFileSync(path.join(epDir, 'cartpole-000001.jsonl'), cartpoleEpisodeText(100));
    names.push('cartpole-000001.jsonl');
  }
  if (opts.platformer) {
    fs.writeFileSync(path.join(epDir, 'platformer-000001.jsonl'), platformerEpisodeText(150));
    names.push('platformer-000001.jsonl');
  }
  if (opts.metrics !== false) {
    let m = '';
    for (let s = 1; s <= 20; s++) {
      m += line({ step: s * 100, time: s / 10, 'charts/episodic_return': Math.log(s), 'losses/td_loss': 1 / s, 'charts/epsilon': Math.max(0.05, 1 - s / 10) });
    }
    m += line({ step: 2000, time: 2, 'eval/mean_return': 0.8 });
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), m);
  }
  fs.writeFileSync(path.join(dir, 'config.json'), `${JSON.stringify({ experiment: 'viewer-fixture', agent: 'dqn' }, null, 2)}\n`);
  return names.sort();
}

/** A platformer episode (frames shaped like envs/platformer's PlatformerFrame): the player runs right, the camera follows. */
export function platformerEpisodeText(steps: number): string {
  const W = 48;
  const H = 14;
  const base: string[] = [];
  for (let y = 0; y < H; y++) {
    let row = '';
    for (let x = 0; x < W; x++) {
      if (y >= H - 2) row += '#';
      else if (y === 8 && x % 9 === 4) row += 'o';
      else if (y === 9 && x >= 20 && x < 24) row += '=';
      else if (x === W - 2 && y === H - 3) row += 'F';
      else row += '.';
    }
    base.push(row);
  }
  const frame = (t: number): Record<string, unknown> => {
    const px = 1 + t * 0.25;
    return {
      kind: 'platformer',
      width: W,
      height: H,
      tiles: base,
      camera: { x: Math.max(0, Math.min(W - 14, px - 6)), y: 0, width: 14, height: 14 },
      player: { x: px, y: H - 2 - 0.9, w: 0.8, h: 0.9, vx: 0.25, vy: 0, facing: 'right', onGround: true, jumpHeld: false, shield: false, doubleJump: false, invulnerable: 0, alive: true },
      monsters: [{ kind: 'walker', x: 30 - t * 0.05, y: H - 3, w: 1, h: 1, vx: -0.05, vy: 0, alive: true }],
      coins: 0,
      kills: 0,
      score: t,
      steps: t,
      completed: false,
      causeOfDeath: null,
    };
  };
  let text = line({ ...header('Platformer-Viewer-v0', 'platformer', 30, { trainingStep: 5000, initialFrame: frame(0) }), actionSpace: { type: 'Discrete', n: 6, start: 0 } });
  for (let t = 0; t < steps; t++) {
    const last = t === steps - 1;
    text += line({ type: 'step', t, action: 2, reward: 1, terminated: false, truncated: last, frame: frame(t + 1), annotations: { qValues: [0, 0.1, 0.9, 0.2, 0.3, 0.1] } });
  }
  text += line({ type: 'end', return: steps, length: steps, terminated: false, truncated: true });
  return text;
}

/**
 * A hand-assembled SUPER-CHIP program for the viewer's tests: it draws the hex digits 0-F in two rows and a 4x4
 * block at (V5, V6), then once per 60 Hz frame (synchronised on the delay timer) moves the block with keys 7/9/5/8
 * (left/right/up/down) and counts frames in VA. On frame 30 it switches to high-res (128x64, `00FF`), takes a life
 * (VC: 3 -> 2) and draws the scene again, so an episode shows both resolutions.
 */
// prettier-ignore
export const CHIP8_DEMO_ROM = new Uint8Array([
  0x6c, 0x03, // 200: VC = 3 (lives)
  0x65, 0x10, // 202: V5 = 16 (block x)
  0x66, 0x12, // 204: V6 = 18 (block y)
  0x6a, 0x00, // 206: VA = 0 (frames)
  0x6d, 0x01, // 208: VD = 1
  0x00, 0xe0, // 20A: scene: clear
  0x60, 0x00, // 20C: V0 = 0 (digit)
  0x61, 0x00, // 20E: V1 = 0 (x)
  0x62, 0x01, // 210: V2 = 1 (y)
  0xf0, 0x29, // 212: digit: I = font(V0)
  0xd1, 0x25, // 214: draw 5 rows at (V1, V2)
  0x71, 0x05, // 216: V1 += 5
  0x70, 0x01, // 218: V0 += 1
  0x30, 0x08, // 21A: skip if V0 == 8
  0x12, 0x22, // 21C: jump check
  0x61, 0x00, // 21E: V1 = 0 (second row)
  0x62, 0x07, // 220: V2 = 7
  0x30, 0x10, // 222: check: skip if V0 == 16
  0x12, 0x12, // 224: jump digit
  0xa2, 0x5a, // 226: I = block
  0xd5, 0x64, // 228: draw the block at (V5, V6)
  0xf7, 0x07, // 22A: loop: V7 = DT
  0x37, 0x00, // 22C: skip if V7 == 0
  0x12, 0x2a, // 22E: jump loop (wait for the next frame)
  0xfd, 0x15, // 230: DT = VD
  0xd5, 0x64, // 232: erase the block
  0x69, 0x07, // 234: V9 = 7
  0xe9, 0xa1, // 236: skip if key V9 not held
  0x75, 0xff, // 238: V5 -= 1 (left)
  0x69, 0x09, // 23A: V9 = 9
  0xe9, 0xa1, // 23C: skip if key V9 not held
  0x75, 0x01, // 23E: V5 += 1 (right)
  0x69, 0x05, // 240: V9 = 5
  0xe9, 0xa1, // 242: skip if key V9 not held
  0x76, 0xff, // 244: V6 -= 1 (up)
  0x69, 0x08, // 246: V9 = 8
  0xe9, 0xa1, // 248: skip if key V9 not held
  0x76, 0x01, // 24A: V6 += 1 (down)
  0xd5, 0x64, // 24C: draw the block
  0x7a, 0x01, // 24E: VA += 1
  0x3a, 0x1e, // 250: skip if VA == 30
  0x12, 0x2a, // 252: jump loop
  0x00, 0xff, // 254: high-res (clears the screen)
  0x7c, 0xff, // 256: VC -= 1
  0x12, 0x0a, // 258: jump scene
  0xf0, 0xf0, 0xf0, 0xf0, // 25A: block: 4 rows of 4 pixels
]);

/** Frames the demo ROM runs before it ends (VA, its frame counter, reaches this). */
export const CHIP8_DEMO_END_FRAME = 60;

/** Settings for `CHIP8_DEMO_ROM`: reward 1 per frame the block moved right, the end at frame 60, lives in VC. */
export const CHIP8_DEMO_SETTINGS: GameSettings = {
  name: 'viewerdemo',
  sha256: '',
  profile: 'schip-modern',
  tickRate: 200,
  actions: [
    { name: 'NOOP', keys: [] },
    { name: 'UP', keys: [5] },
    { name: 'DOWN', keys: [8] },
    { name: 'LEFT', keys: [7] },
    { name: 'RIGHT', keys: [9] },
  ],
  reward: (s, p) => (s.v[5] > p.v[5] ? 1 : 0),
  terminal: (s) => s.v[0xa] >= CHIP8_DEMO_END_FRAME,
  lives: (s) => s.v[0xc],
  description: 'The hand-assembled demo ROM of the viewer tests (digits and a block moved with the keys).',
};

/** `RomEnv` options for the demo: one reset frame (the program sets itself up), no sticky actions, frame skip 4. */
export const CHIP8_DEMO_OPTIONS = { resetFrames: 1, repeatActionProbability: 0, frameSkip: 4 } as const;

/** The scripted actions of the recorded demo episode (indices into the settings' actions); NOOP after them. */
export const CHIP8_DEMO_ACTIONS: readonly number[] = [4, 4, 4, 2, 2, 4, 4, 4, 3, 1, 0, 4];

/**
 * A hand-assembled XO-CHIP program: three 4x4 blocks drawn with plane masks 1, 2 and 3 at x = 0, 8 and 16 (y = 0), so
 * the screen holds pixel values 1, 2 and 3 (the planes lit), then an idle loop.
 */
// prettier-ignore
export const XOCHIP_DEMO_ROM = new Uint8Array([
  0xa2, 0x1c, // 200: I = block
  0x61, 0x00, // 202: V1 = 0 (y)
  0xf1, 0x01, // 204: plane 1
  0x60, 0x00, // 206: V0 = 0
  0xd0, 0x14, // 208: draw 4 rows at (V0, V1)
  0xf2, 0x01, // 20A: plane 2
  0x60, 0x08, // 20C: V0 = 8
  0xd0, 0x14, // 20E: draw
  0xf3, 0x01, // 210: planes 1 and 2 (reads 4 rows for each)
  0x60, 0x10, // 212: V0 = 16
  0xd0, 0x14, // 214: draw
  0x12, 0x16, // 216: idle: jump idle
  0x00, 0x00, // 218: (padding)
  0x00, 0x00, // 21A: (padding)
  0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0xf0, // 21C: block, once per plane
]);

/** Settings for `XOCHIP_DEMO_ROM`: one action (NOOP), no reward, the end after 12 machine frames. */
export const XOCHIP_DEMO_SETTINGS: GameSettings = {
  name: 'viewerplanes',
  sha256: '',
  profile: 'xo-chip',
  tickRate: 30,
  actions: [{ name: 'NOOP', keys: [] }],
  reward: () => 0,
  terminal: (s) => s.frame >= 12,
};

/**
 * Records one episode of a ROM with `RecordEpisodes` (a real `RomEnv` run, seed 0, `CHIP8_DEMO_OPTIONS`) into
 * `<dir>/episodes/<name>`, taking `actions` in turn and NOOP (action 0) after them; returns the file's path.
 */
async function recordRom(dir: string, name: string, envId: string, rom: Uint8Array, settings: GameSettings, actions: readonly number[]): Promise<string> {
  const [{ RecordEpisodes }, { RomEnv }] = await Promise.all([import('../core/index.ts'), import('../envs/rom/index.ts')]);
  const env = new RecordEpisodes(new RomEnv({ rom, settings, ...CHIP8_DEMO_OPTIONS }), {
    dir: path.join(dir, 'episodes'),
    envId,
    agent: 'scripted',
    nameTemplate: () => name,
  });
  env.reset({ seed: 0 });
  for (let t = 0; ; t++) {
    const r = env.step(actions[t] ?? 0);
    if (r.terminated || r.truncated) break;
    if (t > 1000) throw new Error(`recordRom: ${settings.name} did not end within 1000 steps`);
  }
  env.close();
  return path.join(dir, 'episodes', name);
}

/** Records the demo ROM's episode (`CHIP8_DEMO_ACTIONS`): 64x32 frames, then 128x64 ones. Returns the file's path. */
export function writeChip8Episode(dir: string, name = 'chip8-000001.jsonl'): Promise<string> {
  return recordRom(dir, name, 'Chip8-Viewerdemo-v0', CHIP8_DEMO_ROM, CHIP8_DEMO_SETTINGS, CHIP8_DEMO_ACTIONS);
}

/** Records the XO-CHIP planes ROM's episode (pixel values 0..3). Returns the file's path. */
export function writeXoChipEpisode(dir: string, name = 'chip8-xo-000001.jsonl'): Promise<string> {
  return recordRom(dir, name, 'Chip8-Viewerplanes-v0', XOCHIP_DEMO_ROM, XOCHIP_DEMO_SETTINGS, []);
}
