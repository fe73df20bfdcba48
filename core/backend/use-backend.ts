/**
 * Choosing and setting up the TF.js backend every arcade-rl network runs on.
 */
import * as tf from './tf.ts';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { InvalidInputError } from '../errors.ts';
import { BackendUnavailableError } from './errors.ts';
import { setKernelBlas } from './kernels/blas.ts';
import { registerWasmKernels, unregisterWasmKernels, wasmKernelsRegistered } from './kernels/register.ts';
import { blockedSgemm, setDefaultSgemm } from '../nn/mlp/sgemm.ts';
import { loadOpenblas, openblasSgemm, type OpenblasAddon } from './openblas.ts';
import { isNode, locateWasmBinaries } from './wasm-files.ts';

/** A backend arcade-rl can run on. */
export type BackendName = 'wasm' | 'cpu' | 'node' | 'node-gpu' | 'webgpu' | 'wasm+openblas';
/** What `useBackend` accepts: a backend, or `auto` for the fastest one available. */
export type BackendRequest = BackendName | 'auto';

export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'wasm', 'cpu', 'node', 'node-gpu', 'webgpu', 'wasm+openblas'];
/** The order `auto` tries. */
export const AUTO_ORDER: readonly BackendName[] = ['node-gpu', 'node', 'wasm+openblas', 'wasm', 'cpu'];

export interface UseBackendOptions {
  /** wasm only: register arcade-rl's matMul and conv-gradient kernels (default true). False restores TF.js's own. */
  kernels?: boolean;
  /** wasm+openblas only: OpenBLAS threads (default 1, so that actor threads keep the other cores; `--threads`). */
  threads?: number;
}

interface Active {
  name: BackendName;
  description: string;
}

let active: Active | undefined;
/** Calls are serialised so that two concurrent `useBackend` calls cannot interleave their set-up. */
let queue: Promise<unknown> = Promise.resolve();

/** The backend `ARCADE_BACKEND` names, or `auto`. */
export function defaultBackendRequest(): BackendRequest {
  const value = isNode() ? process.env.ARCADE_BACKEND : undefined;
  if (value === undefined || value === '') return 'auto';
  return parseBackendRequest(value, 'ARCADE_BACKEND');
}

export function parseBackendRequest(value: string, source = 'backend'): BackendRequest {
  if ((BACKEND_REQUESTS as readonly string[]).includes(value)) return value as BackendRequest;
  throw new InvalidInputError(`${source} '${value}' is not one of ${BACKEND_REQUESTS.join(', ')}`);
}

/**
 * Set up TF.js on `name` (default: `ARCADE_BACKEND`, else `auto`) and resolve to the backend now in use.
 * `auto` tries node-gpu, node, wasm+openblas, wasm and cpu in that order, passing over those that are unavailable
 * (`describeBackend()` then says why wasm+openblas was passed over).
 * `wasm+openblas` also makes the OpenBLAS addon the small-net engine's default sgemm; any other backend puts the
 * plain TypeScript sgemm back.
 * Throws BackendUnavailableError for an explicit backend that cannot be used. Calling it again is cheap.
 */
export function useBackend(name?: BackendRequest, options: UseBackendOptions = {}): Promise<BackendName> {
  const run = queue.then(() => setUp(name === undefined ? defaultBackendRequest() : parseBackendRequest(name), options));
  queue = run.catch(() => undefined);
  return run;
}

/** The backend set up by the last successful `useBackend`, or undefined. */
export function currentBackend(): BackendName | undefined {
  return active !== undefined && tf.getBackend() === tfBackendName(active.name) ? active.name : undefined;
}

/** One line saying what runs the maths, e.g. "wasm (SIMD, 1 thread, arcade-rl matMul/conv kernels)". */
export function describeBackend(): string {
  if (active !== undefined && tf.getBackend() === tfBackendName(active.name)) return active.description;
  return `${tf.getBackend() ?? 'none'} (not set up by useBackend)`;
}

async function setUp(name: BackendRequest, options: UseBackendOptions): Promise<BackendName> {
  if (options.threads !== undefined && !(Number.isSafeInteger(options.threads) && options.threads >= 1)) {
    throw new InvalidInputError(`useBackend: threads must be a positive integer, got ${options.threads}`);
  }
  if (name !== 'auto') {
    active = await SETUPS[name](options);
    return active.name;
  }
  const reasons: string[] = [];
  for (const candidate of AUTO_ORDER) {
    try {
      active = await SETUPS[candidate](options);
      const openblasReason = reasons.find((r) => r.startsWith(OPENBLAS_PREFIX));
      // Say why auto passed over the accelerator, on the line the runners print.
      if (openblasReason !== undefined) active = { ...active, description: `${active.description}; not wasm+openblas: ${openblasReason.slice(OPENBLAS_PREFIX.length)}` };
      return active.name;
    } catch (error) {
      reasons.push(error instanceof Error ? error.message : String(error));
    }
  }
  throw new BackendUnavailableError('auto', `no TF.js backend could be set up:\n  ${reasons.join('\n  ')}`);
}

function tfBackendName(name: BackendName): string {
  if (name === 'wasm+openblas') return 'wasm';
  return name === 'node' || name === 'node-gpu' ? 'tensorflow' : name;
}

const SETUPS: Record<BackendName, (options: UseBackendOptions) => Promise<Active>> = {
  cpu: setUpCpu,
  wasm: setUpWasm,
  node: () => setUpNode('node', '@tensorflow/tfjs-node'),
  'node-gpu': () => setUpNode('node-gpu', '@tensorflow/tfjs-node-gpu'),
  webgpu: () => notBuilt('webgpu'),
  'wasm+openblas': setUpWasmOpenblas,
};

const OPENBLAS_PREFIX = 'wasm+openblas: ';

async function setUpCpu(): Promise<Active> {
  useOpenblas(undefined);
  if (!(await tf.setBackend('cpu'))) throw new BackendUnavailableError('cpu', 'the TF.js cpu backend failed to initialise');
  // The cpu backend prints a banner on first use in Node advising tfjs-node; useBackend prints nothing itself.
  const backend = tf.backend() as unknown as { firstUse?: boolean };
  if (backend.firstUse === true) backend.firstUse = false;
  return { name: 'cpu', description: 'cpu (TF.js pure-JS kernels)' };
}

let wasmPathsSet = false;

async function setUpWasm(options: UseBackendOptions): Promise<Active> {
  useOpenblas(undefined);
  if (!wasmPathsSet && tf.findBackend('wasm') === null) {
    const binaries = await locateWasmBinaries();
    if (binaries !== undefined) setWasmPaths(binaries);
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend('wasm'))) {
    throw new BackendUnavailableError('wasm', 'the TF.js wasm backend failed to initialise (see the warning TF.js printed)');
  }
  // Kernels go in only now: ours call TF.js's own, whose handles are filled when the backend initialises.
  if (options.kernels === false) unregisterWasmKernels();
  else registerWasmKernels();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = getThreadsCount();
  const parts = [simd ? 'SIMD' : 'no SIMD', `${threads} thread${threads === 1 ? '' : 's'}`];
  parts.push(wasmKernelsRegistered() ? 'arcade-rl matMul/conv kernels' : "TF.js's own kernels");
  return { name: 'wasm', description: `wasm (${parts.join(', ')})` };
}

/** TF.js wasm with arcade-rl's kernels routing every matMul and conv through the OpenBLAS addon. */
async function setUpWasmOpenblas(options: UseBackendOptions): Promise<Active> {
  const load = await loadOpenblas();
  if (!load.ok) throw new BackendUnavailableError('wasm+openblas', `${OPENBLAS_PREFIX}${load.reason}`);
  const wasm = await setUpWasm({ ...options, kernels: true });
  const threads = options.threads ?? 1;
  load.addon.setThreads(threads);
  useOpenblas(load.addon);
  const version = /OpenBLAS [\d.]+/.exec(load.addon.config())?.[0] ?? 'OpenBLAS';
  const plain = wasm.description.replace(/^wasm \(/, '').replace(/\)$/, '');
  return {
    name: 'wasm+openblas',
    description: `wasm+openblas (${version}, ${threads} thread${threads === 1 ? '' : 's'}, for matMul/conv and the small-net engine; wasm ${plain})`,
  };
}

/** Routes the wasm kernels and the small-net engine's sgemm through `addon`, or (undefined) back to the plain paths. */
function useOpenblas(addon: OpenblasAddon | undefined): void {
  setKernelBlas(addon);
  setDefaultSgemm(addon === undefined ? blockedSgemm : openblasSgemm(addon));
}

async function setUpNode(name: 'node' | 'node-gpu', pkg: string): Promise<Active> {
  const install = `npm install ${pkg}@${tf.version_core}`;
  try {
    // A variable specifier: the package is an optional peer dependency that bundlers and tsc must not require.
    const specifier: string = pkg;
    await import(specifier);
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new BackendUnavailableError(name, `${pkg} is not installed or its native binding failed to load (${why}). Install it with: ${install}`);
  }
  if (tf.findBackendFactory('tensorflow') === null) {
    throw new BackendUnavailableError(
      name,
      `${pkg} loaded but registered its backend with another copy of @tensorflow/tfjs-core; install the matching version: ${install}`,
    );
  }
  if (!(await tf.setBackend('tensorflow'))) {
    throw new BackendUnavailableError(name, `${pkg} is installed but its backend failed to initialise. Reinstall it with: ${install}`);
  }
  useOpenblas(undefined);
  return { name, description: `${name} (libtensorflow through ${pkg})` };
}

async function notBuilt(name: 'webgpu'): Promise<Active> {
  throw new BackendUnavailableError(name, `the '${name}' backend is not built in arcade-rl yet; use 'wasm', 'cpu' or 'auto'`);
}
