import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import type { Info } from '../env.ts';
import { ArcadeError, EnvContractError, InvalidInputError, RegistryError } from '../errors.ts';
import { envSpec, type EnvId, type MakeOptions } from '../registry.ts';
import { spaceFromJSON } from '../spaces/from-json.ts';
import { describeValue, type Space } from '../spaces/space.ts';
import { createLayout, viewsOf, type SharedArray, type SharedViews } from './async-layout.ts';
import {
  Command,
  COMMAND,
  CONTROL_SLOTS,
  DEAD_BIT,
  PENDING,
  SEQ,
  type CommandCode,
  type CrashMessage,
  type MainMessage,
  type SerializedError,
  type SharedLayout,
  type WorkerMessage,
  type WorkerPlan,
} from './async-protocol.ts';
import type { Batch } from './batch.ts';
import type { AutoresetMode, VectorResetOptions, VectorResetResult, VectorStepResult } from './sync-vector-env.ts';
import type { VectorEnv } from './vector-env.ts';

export interface AsyncVectorEnvOptions extends MakeOptions {
  /** Keyword arguments for every copy; structured-cloned to the workers. Default: none (the registration's). */
  kwargs?: Record<string, unknown>;
  /** When a finished sub-env is reset. Default `'next-step'`, as `SyncVectorEnv` and Gymnasium 1.x. */
  autoresetMode?: AutoresetMode;
  /**
   * Modules (URLs or file paths) every worker imports before `make`, for envs registered by your own code.
   * Default: none; the registration's `module` (set by `arcade-rl/envs` for the built-in envs) is always imported.
   */
  imports?: ReadonlyArray<string | URL>;
  /** Worker threads; the envs are split between them in contiguous blocks. Default: min(n, os.availableParallelism()). */
  numWorkers?: number;
  /** V8 heap limits of each worker (Node `ResourceLimits`); a worker over them fails the pending call. Default: Node's. */
  resourceLimits?: ResourceLimits;
  /** Longest wait for the workers to build their envs, in ms. Default 60 000: each worker loads TF.js through `arcade-rl` (~1.5 s a core). */
  startupTimeoutMs?: number;
}

/** An env in a worker threw, or a worker died; names the env (or worker) and carries the original stack. */
export class VectorEnvWorkerError extends ArcadeError {
  constructor(
    message: string,
    /** Global index of the sub-env that threw; `null` when the worker died outside an env call. */
    readonly envIndex: number | null,
    readonly workerIndex: number,
    original: SerializedError | null,
  ) {
    super(message);
    if (original !== null) {
      const cause = new Error(original.message);
      cause.name = original.name;
      cause.stack = original.stack;
      this.cause = cause;
      if (original.stack !== undefined) this.stack = `${this.stack ?? ''}\nCaused in the worker by: ${original.stack}`;
    }
  }
}

interface WorkerBlock {
  start: number;
  count: number;
  /** Main thread's end of the worker's MessageChannel: read with `receiveMessageOnPort`, never listened to. */
  port: MessagePort;
}

const BOOTSTRAP = new URL('./async-bootstrap.mjs', import.meta.url).href;
const SUPERVISOR = new URL('./async-supervisor.mjs', import.meta.url);
const WORKER_ENTRY = new URL('./async-worker.ts', import.meta.url).href;
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * Copies of a registered env stepped in worker threads (Gymnasium `AsyncVectorEnv`), with the API, autoreset modes
 * and seeding of `SyncVectorEnv`: both implement `VectorEnv`, and for the same seed and actions they return the
 * same batches.
 *
 * - Calls are synchronous, like `SyncVectorEnv`'s: the main thread blocks (`Atomics.wait`) until every worker has
 *   finished, one wake-up per worker per call. The constructor blocks until the workers have built their envs.
 * - Box (float32, uint8), MultiBinary and Discrete observations, rewards and flags are written by the workers
 *   straight into SharedArrayBuffers; every result array is a fresh copy the caller owns, as in `SyncVectorEnv`.
 *   Other observation spaces (Dict, Tuple, MultiDiscrete) and their actions are structured-cloned instead (slower).
 * - Infos are structured-cloned, and only when not empty; `info.finalObservation` is as in `SyncVectorEnv`.
 * - An env that throws fails the call with a `VectorEnvWorkerError` naming the env index, with the worker's stack;
 *   the vector env stays usable (the failing sub-env is in whatever state it threw from, as with `SyncVectorEnv`).
 *   A worker that dies (process.exit, an uncaught throw, out of memory) fails the pending call the same way and
 *   closes the vector env.
 * - Functions cannot cross threads: workers build envs by id, importing the registration's `module` and `imports`.
 * - `close()` ends the workers. The threads are unref'd, so a forgotten `close()` does not keep the process alive.
 */
export class AsyncVectorEnv<O = unknown, A = unknown> implements VectorEnv<O, A> {
  readonly numEnvs: number;
  readonly numWorkers: number;
  readonly singleObservationSpace: Space<O>;
  readonly singleActionSpace: Space<A>;
  readonly autoresetMode: AutoresetMode;
  private readonly control: Int32Array;
  private readonly blocks: WorkerBlock[];
  private readonly report: MessagePort;
  private readonly supervisor: Worker;
  private readonly layout: SharedLayout;
  private readonly views: SharedViews;
  private seq = 0;
  private closedBecause: string | null = null;
  /** Filled from the workers' messages during a call. */
  private infos: Info[] = [];
  private clonedObs: unknown[] = [];

  constructor(id: EnvId<O, A>, numEnvs: number, opts: AsyncVectorEnvOptions = {}) {
    if (!Number.isInteger(numEnvs) || numEnvs <= 0) throw new InvalidInputError(`AsyncVectorEnv: numEnvs must be a positive integer, received ${numEnvs}`);
    const { kwargs = {}, autoresetMode = 'next-step', imports = [], resourceLimits, startupTimeoutMs = 60_000, numWorkers: asked, ...makeOptions } = opts;
    const numWorkers = asked ?? Math.min(numEnvs, availableParallelism());
    if (!Number.isInteger(numWorkers) || numWorkers <= 0 || numWorkers > numEnvs) {
      throw new InvalidInputError(`AsyncVectorEnv: numWorkers must be an integer in [1, ${numEnvs}], received ${numWorkers}`);
    }
    if (autoresetMode !== 'next-step' && autoresetMode !== 'same-step') throw new InvalidInputError(`AsyncVectorEnv: autoresetMode must be 'next-step' or 'same-step', received ${describeValue(autoresetMode)}`);
    this.numEnvs = numEnvs;
    this.numWorkers = numWorkers;
    this.autoresetMode = autoresetMode;
    const moduleUrls = [...imports.map(toModuleUrl), ...registrationModule(id, imports.length > 0)];

    this.control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
    this.blocks = [];
    const plans: WorkerPlan[] = [];
    const workerPorts: MessagePort[] = [];
    for (let w = 0, start = 0; w < numWorkers; w++) {
      // Contiguous blocks, the first `numEnvs % numWorkers` one env larger.
      const count = Math.floor(numEnvs / numWorkers) + (w < numEnvs % numWorkers ? 1 : 0);
      const channel = new MessageChannel();
      this.blocks.push({ start, count, port: channel.port1 });
      workerPorts.push(channel.port2);
      plans.push({ worker: w, start, count, id, kwargs, makeOptions, autoresetMode, imports: moduleUrls, control: this.control.buffer as SharedArrayBuffer });
      start += count;
    }
    const reportChannel = new MessageChannel();
    this.report = reportChannel.port1;
    Atomics.store(this.control, PENDING, numWorkers); // the workers count down once built
    try {
      this.supervisor = new Worker(SUPERVISOR, {
        workerData: {
          plans,
          ports: workerPorts,
          report: reportChannel.port2,
          bootstrap: BOOTSTRAP,
          entry: WORKER_ENTRY,
          slots: { COMMAND, PENDING, DEAD_BIT, CLOSE: Command.Close },
          resourceLimits,
          execArgv: workerExecArgv(process.execArgv),
        },
        execArgv: workerExecArgv(process.execArgv),
        transferList: [...workerPorts, reportChannel.port2],
      });
    } catch (e) {
      if ((e as { name?: unknown } | null)?.name === 'DataCloneError') throw new InvalidInputError(`AsyncVectorEnv(${id}): kwargs and options must be structured-cloneable to reach the workers: ${String((e as { message?: unknown }).message)}`);
      throw e;
    }
    this.supervisor.unref();
    this.supervisor.on('error', () => {}); // its failures reach the caller through the control block

    const ready = new Array<{ observationSpace: unknown; actionSpace: unknown }>(numWorkers);
    this.wait('AsyncVectorEnv', performance.now() + startupTimeoutMs, (m, w) => {
      if (m.type === 'ready') ready[w] = m;
    });
    this.singleObservationSpace = spaceFromJSON(ready[0].observationSpace) as Space<O>;
    this.singleActionSpace = spaceFromJSON(ready[0].actionSpace) as Space<A>;
    this.layout = createLayout(this.singleObservationSpace, this.singleActionSpace, numEnvs);
    this.views = viewsOf(this.layout);
    for (const b of this.blocks) b.port.postMessage({ type: 'attach', layout: this.layout } satisfies MainMessage);
    this.run(Command.Attach, 'AsyncVectorEnv');
  }

  reset(opts: VectorResetOptions = {}): VectorResetResult<O> {
    this.assertOpen('reset');
    const seeds = opts.seed;
    if (Array.isArray(seeds) && seeds.length !== this.numEnvs) throw new RangeError(`AsyncVectorEnv.reset: ${seeds.length} seeds given for ${this.numEnvs} envs`);
    const seedOf = (i: number): number | undefined => (seeds === undefined ? undefined : typeof seeds === 'number' ? seeds + i : (seeds as readonly number[])[i]);
    const options = opts.options === undefined ? undefined : cloneable(opts.options, 'AsyncVectorEnv.reset: options');
    for (const b of this.blocks) {
      const message: MainMessage = { type: 'reset', seeds: Array.from({ length: b.count }, (_, j) => seedOf(b.start + j)), options };
      b.port.postMessage(message);
    }
    this.run(Command.Reset, 'AsyncVectorEnv.reset');
    return { observations: this.observations(), infos: this.infos };
  }

  step(actions: ArrayLike<A>): VectorStepResult<O> {
    this.assertOpen('step');
    if (actions.length !== this.numEnvs) throw new RangeError(`AsyncVectorEnv.step: ${actions.length} actions given for ${this.numEnvs} envs`);
    this.writeActions(actions);
    this.run(Command.Step, 'AsyncVectorEnv.step');
    const v = this.views;
    return {
      observations: this.observations(),
      rewards: v.rewards.slice(),
      terminations: v.terminations.slice(),
      truncations: v.truncations.slice(),
      autoreset: v.autoreset.slice(),
      infos: this.infos,
    };
  }

  /** Closes every env and ends the workers; rethrows an error an env's `close()` threw. Safe to call twice. */
  close(): void {
    if (this.closedBecause !== null) return;
    try {
      this.run(Command.Close, 'AsyncVectorEnv.close', performance.now() + CLOSE_TIMEOUT_MS);
    } finally {
      this.shutDown('close() was called');
    }
  }

  private assertOpen(method: string): void {
    if (this.closedBecause !== null) throw new ArcadeError(`AsyncVectorEnv.${method}: the vector env is closed (${this.closedBecause})`);
  }

  private writeActions(actions: ArrayLike<A>): void {
    const { actKind, actSize } = this.layout;
    const shared = this.views.actions;
    if (shared === null) {
      const all = cloneable(Array.from(actions), 'AsyncVectorEnv.step: actions');
      for (const b of this.blocks) b.port.postMessage({ type: 'actions', actions: all.slice(b.start, b.start + b.count) } satisfies MainMessage);
      return;
    }
    for (let i = 0; i < this.numEnvs; i++) {
      const a: unknown = actions[i];
      if (actKind === 'float64') {
        if (typeof a !== 'number') throw new EnvContractError(`AsyncVectorEnv.step: action ${i} must be a number for ${this.singleActionSpace.toString()}, received ${describeValue(a)}`);
        shared[i] = a;
      } else {
        const Ctor = actKind === 'uint8' ? Uint8Array : Float32Array;
        if (!(a instanceof Ctor) || a.length !== actSize) {
          throw new EnvContractError(`AsyncVectorEnv.step: action ${i} must be a ${Ctor.name} of length ${actSize} for ${this.singleActionSpace.toString()}, received ${describeValue(a)}`);
        }
        shared.set(a, i * actSize);
      }
    }
  }

  private observations(): Batch<O> {
    const shared: SharedArray | null = this.views.obs;
    return (shared === null ? this.clonedObs : shared.slice()) as Batch<O>;
  }

  /** Runs one command on every worker and waits for all of them; throws the first error a worker reported. */
  private run(command: CommandCode, what: string, deadline?: number): void {
    if (Atomics.compareExchange(this.control, PENDING, 0, this.numWorkers) !== 0) this.fail(what); // the dead bit is set
    Atomics.store(this.control, COMMAND, command);
    this.seq = Atomics.add(this.control, SEQ, 1) + 1;
    Atomics.notify(this.control, SEQ);
    this.infos = Array.from({ length: this.numEnvs }, () => ({}));
    this.clonedObs = new Array<unknown>(this.numEnvs);
    this.wait(what, deadline, (m) => {
      if (m.type !== 'result' || m.seq !== this.seq) return;
      for (const [g, info] of m.infos) this.infos[g] = info;
      for (const [g, obs] of m.observations) this.clonedObs[g] = obs;
    });
  }

  /** Blocks until `PENDING` is 0, then hands each worker message to `onMessage`; throws on a worker error or death. */
  private wait(what: string, deadline: number | undefined, onMessage: (m: WorkerMessage, worker: number) => void): void {
    for (;;) {
      const pending = Atomics.load(this.control, PENDING);
      if (pending === 0) break;
      if ((pending & DEAD_BIT) !== 0) this.fail(what);
      const timeout = deadline === undefined ? undefined : deadline - performance.now();
      if (timeout !== undefined && timeout <= 0) {
        this.shutDown(`${what} timed out`);
        throw new ArcadeError(`${what}: the workers did not answer within the time limit; the vector env is closed`);
      }
      Atomics.wait(this.control, PENDING, pending, timeout);
    }
    let firstError: VectorEnvWorkerError | null = null;
    this.blocks.forEach((b, w) => {
      for (let got = receiveMessageOnPort(b.port); got !== undefined; got = receiveMessageOnPort(b.port)) {
        const m = got.message as WorkerMessage;
        if (m.type === 'error') firstError ??= envError(what, m, w);
        else onMessage(m, w);
      }
    });
    if (firstError !== null) {
      if (what === 'AsyncVectorEnv') this.shutDown('a worker failed to start');
      throw firstError;
    }
  }

  /** A worker died: report why, close, throw. */
  private fail(what: string): never {
    const crash = this.crashReport();
    // An env error reported just before the death says more than the exit code.
    for (const [w, b] of this.blocks.entries()) {
      for (let m = receiveMessageOnPort(b.port); m !== undefined; m = receiveMessageOnPort(b.port)) {
        const message = m.message as WorkerMessage;
        if (message.type !== 'error') continue;
        this.shutDown(`worker ${w} died`);
        throw envError(what, message, w);
      }
    }
    const w = crash?.worker ?? 0;
    const b = this.blocks[w];
    const why = crash === null ? `stopped without a report (control block pending=${Atomics.load(this.control, PENDING)})` : crash.error !== null ? `died: ${crash.error.name}: ${crash.error.message}` : `exited with code ${crash.exitCode}`;
    const message = `${what}: worker ${w} (envs ${b.start}..${b.start + b.count - 1}) ${why}; the vector env is closed`;
    this.shutDown(`worker ${w} ${why}`);
    throw new VectorEnvWorkerError(message, null, w, crash?.error ?? null);
  }

  /** The supervisor's report of a death; it is posted before the dead bit is set, so a short wait is a safety net. */
  private crashReport(): CrashMessage | null {
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    for (let tries = 0; tries < 100; tries++) {
      const got = receiveMessageOnPort(this.report);
      if (got !== undefined) return got.message as CrashMessage;
      Atomics.wait(sleeper, 0, 0, 10);
    }
    return null;
  }

  private shutDown(reason: string): void {
    if (this.closedBecause !== null) return;
    this.closedBecause = reason;
    void this.supervisor.terminate(); // ends the env workers with it
    for (const b of this.blocks) b.port.close();
    this.report.close();
  }
}

function envError(what: string, m: Extract<WorkerMessage, { type: 'error' }>, worker: number): VectorEnvWorkerError {
  const where = m.envIndex === null ? `worker ${worker}` : `env ${m.envIndex}`;
  return new VectorEnvWorkerError(`${what}: ${where} threw in ${m.phase}(): ${m.error.name}: ${m.error.message}`, m.envIndex, worker, m.error);
}

/** The module URL that registers `id`, from its registration; empty when `imports` are to register it. */
function registrationModule(id: string, hasImports: boolean): string[] {
  let module: string | undefined;
  try {
    module = envSpec(id).module;
  } catch (e) {
    if (e instanceof RegistryError && hasImports) return [];
    throw e;
  }
  if (module !== undefined) return [module];
  if (hasImports) return [];
  throw new InvalidInputError(
    `AsyncVectorEnv: ${id} was registered without \`module\`, so a worker thread cannot register it; ` +
      'pass `module: import.meta.url` to register(), or `imports: [<URL of the module that registers it>]`',
  );
}

/**
 * The parent's Node options minus `-e`/`-p` and `--input-type`: a worker inherits `execArgv`, and one that
 * inherits `-e <script>` runs that script instead of its own file.
 */
function workerExecArgv(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    if (/^(-e|--eval|-p|--print|-pe|--input-type)$/.test(arg)) i++; // and its value
    else if (!/^(--eval|--print|--input-type)=/.test(arg)) out.push(arg);
  }
  return out;
}

function toModuleUrl(m: string | URL): string {
  if (m instanceof URL) return m.href;
  if (typeof m !== 'string' || m === '') throw new InvalidInputError(`AsyncVectorEnv: imports must be URLs or file paths, received ${describeValue(m)}`);
  if (isAbsolute(m) || m.startsWith('.')) return pathToFileURL(resolve(m)).href;
  if (URL.canParse(m)) return m;
  throw new InvalidInputError(`AsyncVectorEnv: imports must be URLs or file paths, received ${JSON.stringify(m)}`);
}

/** `value`, after checking it survives structured cloning (a half-sent command would desynchronise the workers). */
function cloneable<T>(value: T, what: string): T {
  try {
    structuredClone(value);
  } catch (e) {
    throw new InvalidInputError(`${what} must be structured-cloneable to reach the workers: ${e instanceof Error ? e.message : String(e)}`);
  }
  return value;
}
