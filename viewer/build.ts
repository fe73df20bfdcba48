/**
 * Builds the page (viewer/page, Pixi.js) with Vite into a cache folder, once per version of its sources:
 * `node_modules/.cache/arcade-rl-viewer/<hash>/` (falls back to the OS temp folder). Works offline.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const VIEWER_DIR = path.dirname(fileURLToPath(import.meta.url));
const PAGE_DIR = path.join(VIEWER_DIR, 'page');
const REPO_DIR = path.dirname(VIEWER_DIR);

function sourceFiles(): string[] {
  const out: string[] = [path.join(VIEWER_DIR, 'types.ts')];
  for (const name of fs.readdirSync(PAGE_DIR).sort()) {
    if (/\.(ts|html|css)$/.test(name)) out.push(path.join(PAGE_DIR, name));
  }
  return out;
}

function hashSources(): string {
  const h = createHash('sha256');
  for (const f of sourceFiles()) {
    h.update(path.basename(f));
    h.update(fs.readFileSync(f));
  }
  for (const pkg of ['pixi.js', 'vite']) {
    try {
      h.update(fs.readFileSync(path.join(REPO_DIR, 'node_modules', pkg, 'package.json')));
    } catch {
      /* not installed: vite's import fails below with its own message */
    }
  }
  return h.digest('hex').slice(0, 16);
}

function cacheRoot(): string {
  const nm = path.join(REPO_DIR, 'node_modules');
  if (fs.existsSync(nm)) {
    const dir = path.join(nm, '.cache', 'arcade-rl-viewer');
    try {
      fs.mkdirSync(dir, { recursive: true });
      return dir;
    } catch {
      /* read-only: use the temp folder */
    }
  }
  const dir = path.join(os.tmpdir(), 'arcade-rl-viewer');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export interface BuildResult {
  dir: string;
  /** Whether this call ran Vite (false: the cached build was reused). */
  built: boolean;
  ms: number;
}

/** Returns the folder of the built page, building it first when the sources changed. */
export async function buildPage(opts: { force?: boolean; log?: (msg: string) => void } = {}): Promise<BuildResult> {
  const t0 = performance.now();
  const dir = path.join(cacheRoot(), hashSources());
  if (!opts.force && fs.existsSync(path.join(dir, 'index.html'))) return { dir, built: false, ms: performance.now() - t0 };
  opts.log?.('viewer: building the page with Vite (once per version of the page sources)...');
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  const { build } = await import('vite');
  await build({
    root: PAGE_DIR,
    base: './',
    logLevel: 'warn',
    configFile: false,
    publicDir: false,
    build: { outDir: tmp, emptyOutDir: true, chunkSizeWarningLimit: 4096, target: 'es2022', sourcemap: false },
  });
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.renameSync(tmp, dir);
  } catch (err) {
    // Another process built the same version meanwhile: use theirs.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'index.html'))) throw err;
  }
  pruneOldBuilds(path.dirname(dir), 3);
  return { dir, built: true, ms: performance.now() - t0 };
}

/** Keeps the `keep` newest builds in the cache folder (each page version leaves one). */
function pruneOldBuilds(root: string, keep: number): void {
  try {
    const dirs = fs
      .readdirSync(root)
      .filter((n) => /^[0-9a-f]{16}$/.test(n))
      .map((n) => ({ p: path.join(root, n), m: fs.statSync(path.join(root, n)).mtimeMs }))
      .sort((a, b) => b.m - a.m);
    for (const d of dirs.slice(keep)) fs.rmSync(d.p, { recursive: true, force: true });
  } catch {
    /* best effort */
  }
}
