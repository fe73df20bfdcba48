/**
 * Human play (`viewer/serve.ts --play <env-id>`): the env runs in the server process, the page sends one action
 * per step, and each finished episode is recorded (RecordEpisodes) into the run folder's episodes/, in the same
 * format as an agent's, so it can be replayed in the same page. Node only (loads the env registry).
 */
import type * as http from 'node:http';
import * as path from 'node:path';
import { RecordEpisodes, listEnvs, make, type Env } from '../core/index.ts';
import '../envs/index.ts';
import { GRID_ACTION_NAMES, PLATFORMER_ACTION_NAMES } from '../envs/index.ts';
import type { FrameJSON, PlayInfo, PlayStepResult } from './types.ts';

export type { PlayInfo, PlayStepResult };

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

  constructor(envId: string, runDir: string, opts: { record?: boolean } = {}) {
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
    const names = kind === 'grid' ? [...GRID_ACTION_NAMES] : kind === 'platformer' ? [...PLATFORMER_ACTION_NAMES] : kind === 'cartpole' ? ['push left', 'push right'] : [];
    this.info = {
      envId,
      renderKind: kind,
      fps: this.env.metadata?.renderFps ?? 30,
      actions: space.n,
      actionNames: names.length === space.n ? names : Array.from({ length: space.n }, (_, i) => String(i)),
      timing: kind === 'platformer' || kind === 'cartpole' ? 'realtime' : 'turn',
      recording: record,
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
