/**
 * Small run folders for the viewer's tests and bench, written as plain episode-format text (no TF.js, no envs):
 * grid episodes with a known path and Q-values, a generic 84x84 "pixels" episode, a cart-pole episode, a corrupt
 * file, metrics and config.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

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
