/**
 * The viewer's HTTP server (node:http): a JSON API over one run folder, server-sent events for live runs, and the
 * built page. Read-only; serves nothing outside the run folder and the page's build folder.
 *
 *   GET /                         the page (index.html) and its /assets/*
 *   GET /api/run                  RunInfo
 *   GET /api/episodes             EpisodeSummary[] (header and footer lines only, cached by size and mtime)
 *   GET /api/episodes/<name>      EpisodeResponse: validated by parseEpisode, or its error naming file and line
 *   GET /api/episodes/<name>/raw  the file's text
 *   GET /api/metrics              MetricsResponse (metrics.jsonl; a partial last line is dropped)
 *   GET /api/config               config.json
 *   GET /api/events               text/event-stream: `episode` (an EpisodeSummary) and `metrics` (new records)
 *   GET /run/<path>               any file inside the run folder, as text
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { parseEpisode } from '../core/episode/reader.ts';
import { parseMetrics } from '../core/logging/metrics-format.ts';
import type { EpisodeHeaderJSON, EpisodeResponse, EpisodeStepJSON, EpisodeSummary, MetricsResponse, RunInfo } from './types.ts';

export interface ViewerServerOptions {
  /** The run folder: holds `episodes/` (or is itself a folder of episode files), `metrics.jsonl`, `config.json`. */
  runDir: string;
  /** Folder of the built page (index.html, assets/); when absent, `/` answers a short text page. */
  pageDir?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** How often live mode looks for new episodes and metrics lines, ms (default 500). */
  pollMs?: number;
  /** Extra routes (human play), tried first, whatever the method; return true when handled. */
  extraRoutes?: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean | Promise<boolean>;
  runInfo?: Partial<RunInfo>;
}

export interface ViewerServer {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
};

const EPISODE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*\.jsonl$/;

/** The folder holding the run's episode files: `<run>/episodes` when it exists, else the run folder itself. */
export function episodesDirOf(runDir: string): string {
  const sub = path.join(runDir, 'episodes');
  return fs.existsSync(sub) && fs.statSync(sub).isDirectory() ? sub : runDir;
}

/** Whether `p` (resolved, real) is `root` or inside it. */
function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Reads up to `len` bytes at `pos`. */
function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  const n = fs.readSync(fd, buf, 0, len, pos);
  return buf.subarray(0, n);
}

/** Summary of one episode file from its first and last lines, without reading the steps. */
export function summarizeEpisode(file: string): EpisodeSummary {
  const st = fs.statSync(file);
  const summary: EpisodeSummary = {
    name: path.basename(file),
    envId: null,
    renderKind: null,
    trainingStep: null,
    episodeIndex: null,
    return: null,
    length: null,
    size: st.size,
    mtimeMs: st.mtimeMs,
  };
  const fd = fs.openSync(file, 'r');
  try {
    // Header: the first line (it may be long: it can hold the initial frame).
    let first = '';
    let pos = 0;
    const chunk = 64 * 1024;
    for (;;) {
      const buf = readAt(fd, pos, chunk);
      if (buf.length === 0) break;
      const nl = buf.indexOf(10);
      if (nl >= 0) {
        first += buf.subarray(0, nl).toString('utf8');
        break;
      }
      first += buf.toString('utf8');
      pos += buf.length;
      if (pos > 64 * 1024 * 1024) break;
    }
    try {
      const h = JSON.parse(first) as Record<string, unknown>;
      if (h.type !== 'header') throw new Error('line 1 is not a header');
      summary.envId = typeof h.envId === 'string' ? h.envId : null;
      const r = h.render as { kind?: unknown } | undefined;
      summary.renderKind = r && typeof r.kind === 'string' ? r.kind : null;
      summary.trainingStep = typeof h.trainingStep === 'number' ? h.trainingStep : null;
      summary.episodeIndex = typeof h.episodeIndex === 'number' ? h.episodeIndex : null;
    } catch (err) {
      summary.problem = `line 1: ${(err as Error).message}`;
    }
    // Footer: the last line, when it is an "end" line.
    if (st.size > 0) {
      const tailLen = Math.min(st.size, 4096);
      const tail = readAt(fd, st.size - tailLen, tailLen).toString('utf8');
      const lines = tail.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const last = lines[lines.length - 1] ?? '';
      if (last.includes('"end"')) {
        try {
          const f = JSON.parse(last) as Record<string, unknown>;
          if (f.type === 'end') {
            summary.return = typeof f.return === 'number' ? f.return : null;
            summary.length = typeof f.length === 'number' ? f.length : null;
          }
        } catch {
          /* not a whole line: no footer */
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return summary;
}

function sendJSON(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

/** Starts the server; resolves once it listens. */
export async function startViewerServer(opts: ViewerServerOptions): Promise<ViewerServer> {
  const runDir = fs.realpathSync(path.resolve(opts.runDir));
  if (!fs.statSync(runDir).isDirectory()) throw new Error(`viewer: ${opts.runDir} is not a folder`);
  const pageDir = opts.pageDir !== undefined ? fs.realpathSync(opts.pageDir) : undefined;
  const pollMs = opts.pollMs ?? 500;
  const cache = new Map<string, EpisodeSummary>();
  const clients = new Set<http.ServerResponse>();

  const episodesDir = (): string => episodesDirOf(runDir);
  const metricsPath = path.join(runDir, 'metrics.jsonl');
  const configPath = path.join(runDir, 'config.json');

  function listEpisodes(): EpisodeSummary[] {
    const dir = episodesDir();
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => EPISODE_NAME.test(n) && !n.includes('.tmp-'));
    } catch {
      return [];
    }
    names.sort();
    const out: EpisodeSummary[] = [];
    for (const name of names) {
      const file = path.join(dir, name);
      try {
        const st = fs.statSync(file);
        if (!st.isFile()) continue;
        const hit = cache.get(name);
        if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) {
          out.push(hit);
          continue;
        }
        const s = summarizeEpisode(file);
        cache.set(name, s);
        out.push(s);
      } catch {
        /* vanished meanwhile */
      }
    }
    return out;
  }

  /** Resolves a path (already decoded) under `root`; undefined when it leaves root (symlinks followed). */
  function safeResolve(root: string, rel: string): string | undefined {
    if (rel.includes('\0')) return undefined;
    const segments = rel.split(/[\\/]+/);
    if (segments.some((s) => s === '..')) return undefined;
    if (path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return undefined;
    const p = path.resolve(root, rel);
    if (!isInside(root, p)) return undefined;
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch {
      return p; // does not exist: the caller answers 404
    }
    return isInside(root, real) ? real : undefined;
  }

  function serveFile(res: http.ServerResponse, file: string, head: boolean): void {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return sendText(res, 404, 'not found');
    }
    if (!st.isFile()) return sendText(res, 404, 'not found');
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'text/plain; charset=utf-8';
    res.writeHead(200, { 'content-type': type, 'content-length': st.size, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' });
    if (head) return void res.end();
    fs.createReadStream(file).pipe(res);
  }

  function episodeResponse(name: string): EpisodeResponse | undefined {
    const file = path.join(episodesDir(), name);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const ep = parseEpisode(text, name);
      return {
        ok: true,
        name,
        header: ep.header as unknown as EpisodeHeaderJSON,
        steps: ep.steps as unknown as EpisodeStepJSON[],
        end: ep.end ? { return: ep.end.return, length: ep.end.length } : null,
        complete: ep.complete,
      };
    } catch (err) {
      return { ok: false, name, error: (err as Error).message };
    }
  }

  function readMetrics(): MetricsResponse {
    let text: string;
    try {
      text = fs.readFileSync(metricsPath, 'utf8');
    } catch {
      return { records: [] };
    }
    try {
      return { records: parseMetrics(text, 'metrics.jsonl') };
    } catch (err) {
      return { records: [], error: (err as Error).message };
    }
  }

  // Live mode: poll the episodes folder and the metrics file while any client listens.
  let known = new Set<string>();
  let metricsOffset = 0;
  let timer: NodeJS.Timeout | undefined;
  function broadcast(event: string, data: unknown): void {
    const msg = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const c of clients) c.write(msg);
  }
  function metricsSize(): number {
    try {
      return fs.statSync(metricsPath).size;
    } catch {
      return 0;
    }
  }
  function snapshot(): void {
    known = new Set(listEpisodes().map((e) => `${e.name}:${e.size}`));
    metricsOffset = metricsSize();
  }
  function poll(): void {
    for (const e of listEpisodes()) {
      const key = `${e.name}:${e.size}`;
      if (!known.has(key)) {
        known.add(key);
        broadcast('episode', e);
      }
    }
    const size = metricsSize();
    if (size < metricsOffset) metricsOffset = 0; // rewritten (a resumed run trims it)
    if (size > metricsOffset) {
      const fd = fs.openSync(metricsPath, 'r');
      let buf: Buffer;
      try {
        buf = readAt(fd, metricsOffset, size - metricsOffset);
      } finally {
        fs.closeSync(fd);
      }
      const lastNl = buf.lastIndexOf(10);
      if (lastNl >= 0) {
        const text = buf.subarray(0, lastNl + 1).toString('utf8');
        metricsOffset += lastNl + 1;
        try {
          const records = parseMetrics(text, 'metrics.jsonl');
          if (records.length > 0) broadcast('metrics', records);
        } catch (err) {
          broadcast('metrics-error', { error: (err as Error).message });
        }
      }
    }
  }
  function ensurePolling(): void {
    if (timer === undefined && clients.size > 0) {
      snapshot();
      timer = setInterval(() => {
        try {
          poll();
        } catch {
          /* a file changed under us: try again next time */
        }
      }, pollMs);
    }
  }
  function stopPollingIfIdle(): void {
    if (clients.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    if (opts.extraRoutes && (await opts.extraRoutes(req, res, new URL(req.url ?? '/', 'http://localhost')))) return;
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      return void res.end('read-only');
    }
    const head = method === 'HEAD';
    const rawPath = (req.url ?? '/').split('?')[0];
    // Any attempt at traversal, encoded or not, is refused before routing.
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
      if (decoded.includes('%')) decoded = decodeURIComponent(decoded); // double-encoded
    } catch {
      return sendText(res, 400, 'bad path encoding');
    }
    if (decoded.includes('\0') || decoded.split(/[\\/]+/).includes('..') || decoded.includes('\\')) return sendText(res, 403, 'forbidden');

    if (decoded === '/api/run') {
      const info: RunInfo = {
        name: path.basename(runDir),
        hasMetrics: fs.existsSync(metricsPath),
        hasConfig: fs.existsSync(configPath),
        mode: 'replay',
        ...opts.runInfo,
      };
      return sendJSON(res, 200, info);
    }
    if (decoded === '/api/episodes') return sendJSON(res, 200, listEpisodes());
    const m = /^\/api\/episodes\/([^/]+?)(\/raw)?$/.exec(decoded);
    if (m) {
      const name = m[1];
      if (!EPISODE_NAME.test(name)) return sendText(res, 404, 'no such episode');
      if (m[2]) {
        const file = safeResolve(episodesDir(), name);
        return file ? serveFile(res, file, head) : sendText(res, 403, 'forbidden');
      }
      const ep = episodeResponse(name);
      return ep ? sendJSON(res, 200, ep) : sendText(res, 404, 'no such episode');
    }
    if (decoded === '/api/metrics') return sendJSON(res, 200, readMetrics());
    if (decoded === '/api/config') return fs.existsSync(configPath) ? serveFile(res, configPath, head) : sendText(res, 404, 'no config.json');
    if (decoded === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': arcade-rl viewer live updates\n\n');
      clients.add(res);
      ensurePolling();
      req.on('close', () => {
        clients.delete(res);
        stopPollingIfIdle();
      });
      return;
    }
    if (decoded.startsWith('/run/')) {
      const file = safeResolve(runDir, decoded.slice('/run/'.length));
      return file ? serveFile(res, file, head) : sendText(res, 403, 'forbidden');
    }
    if (decoded.startsWith('/api/')) return sendText(res, 404, 'unknown API path');
    // The page.
    if (pageDir === undefined) {
      if (decoded === '/') return sendText(res, 200, 'arcade-rl viewer: the page is not built; the API is under /api/');
      return sendText(res, 404, 'not found');
    }
    const rel = decoded === '/' ? 'index.html' : decoded.slice(1);
    const file = safeResolve(pageDir, rel);
    if (!file) return sendText(res, 403, 'forbidden');
    return serveFile(res, file, head);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendText(res, 500, `viewer error: ${(err as Error).message}`);
      else res.end();
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 0);
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        if (timer !== undefined) clearInterval(timer);
        for (const c of clients) c.end();
        clients.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
