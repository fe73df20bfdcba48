import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORRUPT_LINE, CORRUPT_NAME, GRID_PATH, gridEpisodeText, writeDemoRun } from '../viewer/fixtures.ts';
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
