#!/usr/bin/env node
/**
 * Builds the optional OpenBLAS addon (openblas.c -> build/openblas.node) with the C compiler directly; run by
 * `npm install` / `npm ci` (package.json "install"), and by hand with `npm run build:openblas`.
 *
 * Never fails an install: when the compiler, Node's headers or OpenBLAS are missing it prints one line saying how
 * to enable the addon and exits 0 (with `--require` or `ARCADE_OPENBLAS=require` it exits 1 instead, for CI).
 * `ARCADE_OPENBLAS=0` skips it.
 *
 * Why not node-gyp: node-gyp wants python3 and Node's headers, which it downloads from nodejs.org unless
 * npm_config_nodedir is set; this addon is one C file against node_api.h, so one `cc` call (~0.7 s) does the
 * same job offline, and is easier to make fail softly.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'build', 'openblas.node');
const required = process.argv.includes('--require') || process.env.ARCADE_OPENBLAS === 'require';
const HOWTO =
  'to enable it: apt-get install libopenblas-dev g++ make (Debian/Ubuntu) or brew install openblas (macOS), then npm run build:openblas';

function giveUp(reason) {
  console.log(`arcade-rl: optional OpenBLAS accelerator not built (${reason}); ${HOWTO}`);
  process.exit(required ? 1 : 0);
}

/** The folder holding node_api.h: npm's nodedir, next to this node binary, or the usual system places. */
function nodeHeaders() {
  const candidates = [
    process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'),
    resolve(dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
    '/opt/homebrew/include/node',
  ].filter(Boolean);
  return candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
}

/** Compiler flags that find OpenBLAS: Homebrew's keg on macOS, pkg-config where it knows openblas, else the defaults. */
function openblasFlags() {
  if (process.platform === 'darwin') {
    const keg = ['/opt/homebrew/opt/openblas', '/usr/local/opt/openblas'].find((dir) => existsSync(join(dir, 'include', 'cblas.h')));
    if (keg === undefined) return undefined;
    return { cflags: [`-I${keg}/include`], libs: [`-L${keg}/lib`, `-Wl,-rpath,${keg}/lib`, '-lopenblas'] };
  }
  try {
    const cflags = execFileSync('pkg-config', ['--cflags', 'openblas'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const libs = execFileSync('pkg-config', ['--libs', 'openblas'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { cflags: cflags.split(/\s+/).filter(Boolean), libs: libs.split(/\s+/).filter(Boolean) };
  } catch {
    return { cflags: [], libs: ['-lopenblas'] };
  }
}

if (process.env.ARCADE_OPENBLAS === '0') giveUp('ARCADE_OPENBLAS=0');
const headers = nodeHeaders();
if (headers === undefined) giveUp("Node's node_api.h not found; set npm_config_nodedir to a Node source or headers folder");
const blas = openblasFlags();
if (blas === undefined) giveUp('Homebrew openblas not found');
const cc = process.env.CC || 'cc';
const tmp = `${out}.${process.pid}.tmp`;
const args = ['-O2', '-std=c99', '-shared', '-fPIC', '-DNODE_GYP_MODULE_NAME=openblas', `-I${headers}`, ...blas.cflags, join(here, 'openblas.c')];
if (process.platform === 'darwin') args.push('-undefined', 'dynamic_lookup');
args.push(...blas.libs, '-o', tmp);
mkdirSync(dirname(out), { recursive: true });
try {
  execFileSync(cc, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  renameSync(tmp, out);
} catch (error) {
  rmSync(tmp, { force: true });
  const stderr = String(error.stderr ?? '');
  const why = /cblas\.h|lopenblas|openblas/i.test(stderr)
    ? 'OpenBLAS headers or library missing'
    : error.code === 'ENOENT'
      ? `no C compiler '${cc}'`
      : (stderr.split('\n').find((l) => /error/i.test(l)) ?? error.message).trim();
  giveUp(why);
}
console.log(`arcade-rl: built the OpenBLAS accelerator (${out}); --backend auto now uses wasm+openblas`);
