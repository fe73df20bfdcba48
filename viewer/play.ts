/**
 * Human play (`viewer/serve.ts --play <env-id>`): the env runs in the server process, the page sends one action
 * per step, and each finished episode is recorded (RecordEpisodes) into the run folder's episodes/, in the same
 * format as an agent's, so it can be replayed in the same page. Node only (loads the env registry).
 */
import type * as http from 'node:http';
import * as path from 'node:path';
import { RecordEpisodes, listEnvs, make, unwrap, type Env } from '../core/index.ts';
import '../envs/index.ts';
import { GRID_ACTION_NAMES, PLATFORMER_ACTION_NAMES, RomEnv, registerRoms, type GameAction } from '../envs/index.ts';
import type { FrameJSON, PlayInfo, PlayKeypad, PlayStepResult } from './types.ts';

export type { PlayInfo, PlayKeypad, PlayStepResult };

/** The CHIP-8 hex keypad on a QWERTY keyboard, as most emulators lay it out (Octo among them): 1234/QWER/ASDF/ZXCV
 * stand for 123C/456D/789E/A0BF. By `KeyboardEvent.code`, so it holds on any keyboard layout. */
// prettier-ignore
export const CHIP8_KEYBOARD: Readonly<Record<string, number>> = Object.freeze({
  Digit1: 0x1, Digit2: 0x2, Digit3: 0x3, Digit4: 0xc,
  KeyQ: 0x4, KeyW: 0x5, KeyE: 0x6, KeyR: 0xd,
  KeyA: 0x7, KeyS: 0x8, KeyD: 0x9, KeyF: 0xe,
  KeyZ: 0xa, KeyX: 0x0, KeyC: 0xb, KeyV: 0xf,
});

/**
 * Keyboard bindings for a ROM env's minimal action set: the hex keypad (above; WASD lands on 5/7/8/9, the keys
 * CHIP-8 games most often use for up/left/down/right), plus the arrows on the actions named UP, DOWN, LEFT, RIGHT
 * (up falls back to JUMP) and space on the first other action (FIRE, JUMP, ...).
 */
export function romKeypad(actions: readonly GameAction[]): PlayKeypad {
  const bindings: Record<string, number[]> = {};
  for (const [code, key] of Object.entries(CHIP8_KEYBOARD)) bindings[code] = [key];
  const named = (...names: string[]): GameAction | undefined => actions.find((a) => a.keys.length > 0 && names.includes(a.name.toUpperCase()));
  const arrows: Array<[string, GameAction | undefined]> = [
    ['ArrowUp', named('UP') ?? named('JUMP')],
    ['ArrowDown', named('DOWN')],
    ['ArrowLeft', named('LEFT')],
    ['ArrowRight', named('RIGHT')],
    ['Space', actions.find((a) => a.keys.length > 0 && !['UP', 'DOWN', 'LEFT', 'RIGHT'].includes(a.name.toUpperCase()))],
  ];
  for (const [code, action] of arrows) if (action !== undefined) bindings[code] = [...action.keys];
  return { bindings, actions: actions.map((a) => [...a.keys]) };
}

/** The ids of the registered envs (for the error when --play names an unknown one). */
export function playableEnvIds(): string[] {
  return listEnvs().map((s) => s.id);
}

export class PlaySession {
  readonly info: PlayInfo;
  private readonly env: Env<unknown, unknown>;
  private t = 0;
  private ret = 0;
  private done = true;
  private episode = -1;
  private lastFrame: FrameJSON | null = null;

  /** `record` (default true): record finished episodes; `roms`: a folder of ROM files to register first (`registerRoms`). */
  constructor(envId: string, runDir: string, opts: { record?: boolean; roms?: string } = {}) {
    if (opts.roms !== undefined) registerRoms(opts.roms);
    if (!playableEnvIds().includes(envId)) throw new Error(`--play: unknown env ${JSON.stringify(envId)}; registered: ${playableEnvIds().join(', ')}`);
    const base = make(envId) as Env<unknown, unknown>;
    const record = opts.record !== false;
    this.env = record ? new RecordEpisodes(base, { dir: path.join(runDir, 'episodes'), agent: 'human', envId }) : base;
    const space = this.env.actionSpace as unknown as { n?: number };
    if (typeof space.n !== 'number') throw new Error(`--play: ${envId} has a ${this.env.actionSpace.constructor.name} action space; human play needs a Discrete one`);
    this.env.reset({ seed: 0 });
    this.done = false;
    this.episode = 0;
    const frame = this.env.render?.() ?? null;
    this.lastFrame = frame as FrameJSON | null;
    const kind = frame ? String(frame.kind) : 'none';
    const inner = unwrap(this.env);
    const rom = inner instanceof RomEnv ? inner : undefined;
    const names =
      rom !== undefined
        ? rom.getActionMeanings()
        : kind === 'grid'
          ? [...GRID_ACTION_NAMES]
          : kind === 'platformer'
            ? [...PLATFORMER_ACTION_NAMES]
            : kind === 'cartpole'
              ? ['push left', 'push right']
              : [];
    this.info = {
      envId,
      renderKind: kind,
      fps: this.env.metadata?.renderFps ?? 30,
      actions: space.n,
      actionNames: names.length === space.n ? names : Array.from({ length: space.n }, (_, i) => String(i)),
      timing: kind === 'platformer' || kind === 'cartpole' || rom !== undefined ? 'realtime' : 'turn',
      recording: record,
      ...(rom !== undefined ? { keypad: romKeypad(rom.settings.actions) } : {}),
    };
  }

  reset(): PlayStepResult {
    this.env.reset();
    this.episode++;
    this.t = 0;
    this.ret = 0;
    this.done = false;
    this.lastFrame = (this.env.render?.() ?? null) as FrameJSON | null;
    return this.current();
  }

  current(): PlayStepResult {
    return { t: this.t, frame: this.lastFrame, reward: 0, return: this.ret, terminated: this.done, truncated: false, episode: this.episode };
  }

  step(action: number): PlayStepResult {
    if (!Number.isInteger(action) || action < 0 || action >= this.info.actions) throw new Error(`action must be an integer in [0, ${this.info.actions})`);
    if (this.done) return this.current();
    const r = this.env.step(action);
    this.t++;
    this.ret += r.reward;
    this.done = r.terminated || r.truncated;
    this.lastFrame = (this.env.render?.() ?? null) as FrameJSON | null;
    return { t: this.t, frame: this.lastFrame, reward: r.reward, return: this.ret, terminated: r.terminated, truncated: r.truncated, episode: this.episode };
  }

  close(): void {
    this.env.close?.();
  }

  /** Routes for the viewer server: GET /api/play, POST /api/play/reset, POST /api/play/step?action=N. */
  routes(): (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean {
    const send = (res: http.ServerResponse, status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(value));
    };
    return (req, res, url) => {
      if (!url.pathname.startsWith('/api/play')) return false;
      try {
        if (url.pathname === '/api/play' && req.method === 'GET') send(res, 200, { info: this.info, state: this.current() });
        else if (url.pathname === '/api/play/reset' && req.method === 'POST') send(res, 200, this.reset());
        else if (url.pathname === '/api/play/step' && req.method === 'POST') send(res, 200, this.step(Number(url.searchParams.get('action'))));
        else send(res, 404, { error: 'unknown play route' });
      } catch (err) {
        send(res, 400, { error: (err as Error).message });
      }
      return true;
    };
  }
}
