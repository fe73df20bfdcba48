import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHIP8_DEMO_OPTIONS,
  CHIP8_DEMO_ROM,
  CHIP8_DEMO_SETTINGS,
  CORRUPT_LINE,
  CORRUPT_NAME,
  GRID_PATH,
  gridEpisodeText,
  writeChip8Episode,
  writeDemoRun,
} from '../viewer/fixtures.ts';
import { startViewerServer, summarizeEpisode, type ViewerServer } from '../viewer/server.ts';
import type { EpisodeResponse, EpisodeSummary, MetricsResponse } from '../viewer/types.ts';

/** A raw GET: the path is sent exactly as given (fetch would normalise `..`). */
function rawGet(port: number, rawPath: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let root: string;
let runDir: string;
let srv: ViewerServer;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'viewer-server-'));
  runDir = path.join(root, 'run');
  fs.mkdirSync(runDir);
  writeDemoRun(runDir, { cartpole: true });
  fs.writeFileSync(path.join(root, 'secret.txt'), 'TOP SECRET outside the run\n');
  fs.symlinkSync(path.join(root, 'secret.txt'), path.join(runDir, 'link-out.txt'));
  srv = await startViewerServer({ runDir, pollMs: 50 });
});

afterAll(async () => {
  await srv?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('viewer server: API', () => {
  it('binds 127.0.0.1 by default and prints a URL for it', () => {
    expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const addr = srv.server.address();
    expect(typeof addr === 'object' && addr?.address).toBe('127.0.0.1');
  });

  it('lists episodes with training step, return and length from header and footer', async () => {
    const r = await rawGet(srv.port, '/api/episodes');
    expect(r.status).toBe(200);
    const list = JSON.parse(r.body) as EpisodeSummary[];
    expect(list.map((e) => e.name)).toEqual(['cartpole-000001.jsonl', 'episode-000001.jsonl', CORRUPT_NAME, 'episode-000003.jsonl', 'episode-000005.jsonl']);
    const ep = list.find((e) => e.name === 'episode-000003.jsonl')!;
    expect(ep.trainingStep).toBe(1000);
    expect(ep.renderKind).toBe('grid');
    expect(ep.length).toBe(GRID_PATH.length - 1);
    expect(ep.return).toBeCloseTo(1 - 0.01 * (GRID_PATH.length - 2), 10);
  });

  it('summarizes a file with a long header line and one without a footer', () => {
    const dir = fs.mkdtempSync(path.join(root, 'sum-'));
    const text = gridEpisodeText(7, 0).replace('"agent":"dqn"', `"agent":"${'x'.repeat(200_000)}"`);
    const lines = text.split('\n');
    fs.writeFileSync(path.join(dir, 'a.jsonl'), text);
    fs.writeFileSync(path.join(dir, 'b.jsonl'), lines.slice(0, 3).join('\n') + '\n');
    const a = summarizeEpisode(path.join(dir, 'a.jsonl'));
    expect([a.trainingStep, a.length, a.problem]).toEqual([7, GRID_PATH.length - 1, undefined]);
    const b = summarizeEpisode(path.join(dir, 'b.jsonl'));
    expect([b.trainingStep, b.length, b.return]).toEqual([7, null, null]);
  });

  it('serves one episode validated, and a corrupt one as an error naming file and line', async () => {
    const ok = JSON.parse((await rawGet(srv.port, '/api/episodes/episode-000001.jsonl')).body) as EpisodeResponse;
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      expect(ok.steps).toHaveLength(GRID_PATH.length - 1);
      expect(ok.header.render.kind).toBe('grid');
      expect(ok.steps[0].annotations?.qValues).toHaveLength(4);
    }
    const bad = JSON.parse((await rawGet(srv.port, `/api/episodes/${CORRUPT_NAME}`)).body) as EpisodeResponse;
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain(`${CORRUPT_NAME}, line ${CORRUPT_LINE}: malformed JSON`);
    const raw = await rawGet(srv.port, '/api/episodes/episode-000001.jsonl/raw');
    expect(raw.status).toBe(200);
    expect(raw.body).toBe(fs.readFileSync(path.join(runDir, 'episodes', 'episode-000001.jsonl'), 'utf8'));
  });

  it('serves metrics and config', async () => {
    const m = JSON.parse((await rawGet(srv.port, '/api/metrics')).body) as MetricsResponse;
    expect(m.records).toHaveLength(21);
    expect(m.records[0]['charts/episodic_return']).toBe(0);
    const c = await rawGet(srv.port, '/api/config');
    expect(JSON.parse(c.body)).toMatchObject({ experiment: 'viewer-fixture' });
    expect((await rawGet(srv.port, '/run/config.json')).status).toBe(200);
  });

  it('answers 404 for unknown paths, episodes and API routes, and 405 for writes', async () => {
    expect((await rawGet(srv.port, '/api/episodes/nope.jsonl')).status).toBe(404);
    expect((await rawGet(srv.port, '/api/episodes/nope.txt')).status).toBe(404);
    expect((await rawGet(srv.port, '/api/nothing')).status).toBe(404);
    expect((await rawGet(srv.port, '/run/missing.json')).status).toBe(404);
    expect((await rawGet(srv.port, '/no/such/page')).status).toBe(404);
    expect((await rawGet(srv.port, '/api/episodes', 'POST')).status).toBe(405);
    expect((await rawGet(srv.port, '/api/episodes', 'DELETE')).status).toBe(405);
  });

  it('refuses a run folder that does not exist', async () => {
    await expect(startViewerServer({ runDir: path.join(root, 'no-such-run') })).rejects.toThrow();
  });
});

describe('viewer server: path traversal', () => {
  const attempts = [
    '/run/../secret.txt',
    '/run/..%2fsecret.txt',
    '/run/..%2Fsecret.txt',
    '/run/%2e%2e/secret.txt',
    '/run/%2e%2e%2fsecret.txt',
    '/run/..%252fsecret.txt',
    '/run/..\\secret.txt',
    '/run/..%5csecret.txt',
    '/run/episodes/../../secret.txt',
    '/run/%2ftmp%2fsecret.txt',
    `/run/${encodeURIComponent(path.join(os.tmpdir(), 'x'))}`,
    '/run//etc/passwd',
    '/run/link-out.txt',
    '/api/episodes/..%2f..%2fsecret.txt',
    '/api/episodes/..%2fconfig.json/raw',
    '/..%2f..%2f..%2fetc%2fpasswd',
    '/assets/..%2f..%2fsecret.txt',
    '/run/%00config.json',
    '/run/%E0%A4%A',
  ];
  for (const p of attempts) {
    it(`refuses ${p}`, async () => {
      const r = await rawGet(srv.port, p);
      expect([400, 403, 404]).toContain(r.status);
      expect(r.body).not.toContain('TOP SECRET');
      expect(r.body).not.toContain('root:');
    });
  }
});

describe('viewer server: live mode', () => {
  it('announces new episodes and new metrics lines over server-sent events', async () => {
    const events: Array<{ event: string; data: unknown }> = [];
    let buf = '';
    const req = http.get({ host: '127.0.0.1', port: srv.port, path: '/api/events' });
    const res = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
    expect(res.headers['content-type']).toBe('text/event-stream');
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
      }
    });
    await new Promise((r) => setTimeout(r, 200));
    // A new episode, written the way EpisodeWriter does (temp name, then rename), and two metrics lines, the
    // second written in two parts.
    const epDir = path.join(runDir, 'episodes');
    fs.writeFileSync(path.join(epDir, 'episode-000099.jsonl.tmp-1-abc'), gridEpisodeText(99_000, 99));
    fs.renameSync(path.join(epDir, 'episode-000099.jsonl.tmp-1-abc'), path.join(epDir, 'episode-000099.jsonl'));
    fs.appendFileSync(path.join(runDir, 'metrics.jsonl'), '{"step":3000,"time":3,"charts/episodic_return":5}\n{"step":3100,');
    const until = async (pred: () => boolean): Promise<void> => {
      const t0 = Date.now();
      while (!pred() && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 25));
    };
    await until(() => events.some((e) => e.event === 'episode') && events.some((e) => e.event === 'metrics'));
    fs.appendFileSync(path.join(runDir, 'metrics.jsonl'), '"time":3.1,"charts/episodic_return":6}\n');
    await until(() => events.filter((e) => e.event === 'metrics').length >= 2);
    req.destroy();
    const eps = events.filter((e) => e.event === 'episode').map((e) => e.data as EpisodeSummary);
    expect(eps.map((e) => e.name)).toEqual(['episode-000099.jsonl']);
    expect(eps[0].trainingStep).toBe(99_000);
    const metrics = events.filter((e) => e.event === 'metrics').flatMap((e) => e.data as MetricsResponse['records']);
    expect(metrics.map((r) => r.step)).toEqual([3000, 3100]);
    expect(metrics[1]['charts/episodic_return']).toBe(6);
  });
});

describe('viewer page sources', () => {
  it('type-check with the browser tsconfig (viewer/page/tsconfig.json)', async () => {
    const tsc = path.join(process.cwd(), 'node_modules', 'typescript', 'bin', 'tsc');
    await promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', 'viewer/page/tsconfig.json'], { cwd: process.cwd() });
  }, 60_000);
});

describe('viewer server: ROM envs', () => {
  it('serves a recorded RomEnv episode validated, with render kind chip8 and the screen as rows of digits', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'viewer-rom-'));
    const s = await startViewerServer({ runDir: dir, pollMs: 50 });
    try {
      await writeChip8Episode(dir);
      const list = JSON.parse((await rawGet(s.port, '/api/episodes')).body) as EpisodeSummary[];
      expect(list.map((e) => [e.name, e.renderKind, e.envId])).toEqual([['chip8-000001.jsonl', 'chip8', 'Chip8-Viewerdemo-v0']]);
      const ep = JSON.parse((await rawGet(s.port, '/api/episodes/chip8-000001.jsonl')).body) as EpisodeResponse;
      if (!ep.ok) throw new Error(ep.error);
      expect(ep.header.render).toEqual({ kind: 'chip8', fps: 15 });
      const last = ep.steps[ep.steps.length - 1];
      expect(last.terminated).toBe(true);
      for (const f of [ep.header.initialFrame, last.frame]) {
        const rows = String(f?.pixels).split('\n');
        expect(rows).toHaveLength(Number(f?.height));
        expect(rows.every((r) => r.length === Number(f?.width) && /^[01]+$/.test(r))).toBe(true);
      }
      expect([ep.header.initialFrame?.width, last.frame?.width]).toEqual([64, 128]);
    } finally {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('binds the keyboard to ROM actions: hex keypad by code, arrows and space by action name', async () => {
    const { romKeypad, CHIP8_KEYBOARD } = await import('../viewer/play.ts');
    const { KNOWN_GAMES } = await import('../envs/rom/index.ts');
    const byName = new Map([...KNOWN_GAMES.values()].map((g) => [g.name, g]));
    const move4 = romKeypad(byName.get('snake')!.actions);
    expect(Object.keys(CHIP8_KEYBOARD)).toHaveLength(16);
    expect(new Set(Object.values(CHIP8_KEYBOARD)).size).toBe(16);
    expect([move4.bindings.KeyW, move4.bindings.KeyA, move4.bindings.KeyS, move4.bindings.KeyD]).toEqual([[5], [7], [8], [9]]);
    expect([move4.bindings.Digit4, move4.bindings.KeyX, move4.bindings.KeyV]).toEqual([[0xc], [0], [0xf]]);
    expect([move4.bindings.ArrowUp, move4.bindings.ArrowDown, move4.bindings.ArrowLeft, move4.bindings.ArrowRight]).toEqual([[5], [8], [7], [9]]);
    expect(move4.bindings.Space).toBeUndefined(); // no action besides the four directions
    expect(move4.actions).toEqual([[], [5], [8], [7], [9]]);
    const dino = romKeypad(byName.get('dinorun')!.actions);
    expect([dino.bindings.ArrowUp, dino.bindings.Space, dino.bindings.ArrowLeft]).toEqual([[5], [5], undefined]);
  });

  it('PlaySession gives a ROM env real-time play with its action names and keypad', async () => {
    const [{ register, unregister }, { RomEnv }, { PlaySession }] = await Promise.all([import('../core/index.ts'), import('../envs/rom/index.ts'), import('../viewer/play.ts')]);
    const id = 'Chip8-Viewerdemoplay-v0';
    register({ id, entryPoint: () => new RomEnv({ rom: CHIP8_DEMO_ROM, settings: CHIP8_DEMO_SETTINGS, ...CHIP8_DEMO_OPTIONS }), replace: true });
    try {
      const session = new PlaySession(id, root, { record: false });
      expect(session.info).toMatchObject({ renderKind: 'chip8', timing: 'realtime', fps: 15, actions: 5, actionNames: ['NOOP', 'UP', 'DOWN', 'LEFT', 'RIGHT'] });
      expect(session.info.keypad?.bindings.ArrowRight).toEqual([9]);
      const before = session.current().frame;
      const r = session.step(4); // RIGHT: the block moves 4 pixels (one per frame)
      expect(r.reward).toBe(4);
      expect(r.frame?.pixels).not.toEqual(before?.pixels);
      session.close();
    } finally {
      unregister(id);
    }
  });
});
