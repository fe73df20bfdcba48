/**
 * One `AsyncVectorEnv` worker thread: builds envs `start .. start + count - 1` with `make` and runs the main
 * thread's commands on them (protocol in async-protocol.ts). Loaded through async-bootstrap.mjs.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Env, Info } from '../env.ts';
import { EnvContractError } from '../errors.ts';
import { make } from '../registry.ts';
import { Command, COMMAND, PENDING, SEQ, serializeError, type MainMessage, type SharedKind, type WorkerMessage, type WorkerPlan } from './async-protocol.ts';
import { viewsOf, type SharedViews } from './async-layout.ts';

const plan = workerData as WorkerPlan & { port: MessagePort };
const { port, start, count } = plan;
const control = new Int32Array(plan.control);
const envs: Env<unknown, unknown>[] = [];
const needsReset = new Uint8Array(count);
const sameStep = plan.autoresetMode === 'same-step';
let views: SharedViews | null = null;
let obsKind: SharedKind = 'clone';
let obsSize = 0;
let actKind: SharedKind = 'clone';
let actSize = 0;
/** Global index of the env being called, for error reports. */
let current: number | null = null;
let seq = 0;
let infos: Array<[number, Info]> = [];
let clonedObs: Array<[number, unknown]> = [];
let clonedActions: unknown[] = [];

function post(message: WorkerMessage): void {
  port.postMessage(message);
}

function nextMessage(): MainMessage {
  const got = receiveMessageOnPort(port) as { message: MainMessage } | undefined;
  if (got === undefined) throw new Error('AsyncVectorEnv worker: the command came without its message (protocol bug)');
  return got.message;
}

function done(): void {
  Atomics.sub(control, PENDING, 1);
  Atomics.notify(control, PENDING);
}

function hasKeys(info: Info): boolean {
  for (const _ in info) return true;
  return false;
}

function writeObservation(g: number, value: unknown): void {
  const obs = views?.obs ?? null;
  if (obs === null) {
    clonedObs.push([g, value]);
  } else if (obsKind === 'int32') {
    obs[g] = value as number;
  } else {
    const arr = value as ArrayLike<number>;
    if (arr?.length !== obsSize) throw new EnvContractError(`observation has length ${arr?.length}, the observation space says ${obsSize}`);
    obs.set(arr, g * obsSize);
  }
}

function actionFor(g: number): unknown {
  const actions = views?.actions ?? null;
  if (actions === null) return clonedActions[g - start];
  if (actKind === 'float64') return actions[g];
  return actions.slice(g * actSize, (g + 1) * actSize); // a fresh array: the env may keep it
}

function addInfo(g: number, info: Info): void {
  if (hasKeys(info)) infos.push([g, info]);
}

function flushResults(): void {
  if (infos.length > 0 || clonedObs.length > 0) post({ type: 'result', seq, infos, observations: clonedObs });
  infos = [];
  clonedObs = [];
}

function attach(): void {
  const m = nextMessage();
  if (m.type !== 'attach') throw new Error(`AsyncVectorEnv worker: expected attach, received ${m.type}`);
  views = viewsOf(m.layout);
  ({ obsKind, obsSize, actKind, actSize } = m.layout);
}

function reset(): void {
  const m = nextMessage();
  if (m.type !== 'reset') throw new Error(`AsyncVectorEnv worker: expected reset, received ${m.type}`);
  const v = views as SharedViews;
  for (let j = 0; j < count; j++) {
    const g = (current = start + j);
    const r = envs[j].reset({ seed: m.seeds[j], options: m.options });
    writeObservation(g, r.observation);
    addInfo(g, r.info);
    v.rewards[g] = 0;
    v.terminations[g] = 0;
    v.truncations[g] = 0;
    v.autoreset[g] = 0;
  }
  needsReset.fill(0);
}

/** The same autoreset logic as `SyncVectorEnv.step`, for this worker's envs. */
function step(): void {
  if (actKind === 'clone') {
    const m = nextMessage();
    if (m.type !== 'actions') throw new Error(`AsyncVectorEnv worker: expected actions, received ${m.type}`);
    clonedActions = m.actions;
  }
  const v = views as SharedViews;
  for (let j = 0; j < count; j++) {
    const g = (current = start + j);
    const env = envs[j];
    if (needsReset[j] === 1) {
      const r = env.reset();
      writeObservation(g, r.observation);
      addInfo(g, r.info);
      v.rewards[g] = 0;
      v.terminations[g] = 0;
      v.truncations[g] = 0;
      v.autoreset[g] = 1;
      needsReset[j] = 0;
      continue;
    }
    const r = env.step(actionFor(g));
    v.rewards[g] = r.reward;
    v.terminations[g] = r.terminated ? 1 : 0;
    v.truncations[g] = r.truncated ? 1 : 0;
    v.autoreset[g] = 0;
    if (r.terminated || r.truncated) {
      if (sameStep) {
        const again = env.reset();
        writeObservation(g, again.observation);
        infos.push([g, { ...again.info, finalObservation: r.observation, finalInfo: r.info }]);
      } else {
        writeObservation(g, r.observation);
        infos.push([g, { ...r.info, finalObservation: r.observation }]);
        needsReset[j] = 1;
      }
    } else {
      writeObservation(g, r.observation);
      addInfo(g, r.info);
    }
  }
}

function closeEnvs(): void {
  for (let j = 0; j < envs.length; j++) {
    current = start + j;
    envs[j].close?.();
  }
}

function fail(phase: string, e: unknown): void {
  infos = [];
  clonedObs = [];
  post({ type: 'error', seq, envIndex: current, phase, error: serializeError(e) });
}

// Boot: import the modules that register the id, build the envs, report the spaces.
let built = false;
try {
  for (const url of plan.imports) await import(url);
  for (let j = 0; j < count; j++) {
    current = start + j;
    envs.push(make(plan.id, plan.kwargs, plan.makeOptions));
  }
  current = null;
  post({ type: 'ready', worker: plan.worker, observationSpace: envs[0].observationSpace.toJSON(), actionSpace: envs[0].actionSpace.toJSON() });
  built = true;
} catch (e) {
  fail('make', e);
}
done();

for (;;) {
  // Loop: a wake-up can be late. The main thread bumps SEQ, then notifies; this worker may see the bump, run the
  // command and wait again before that notify lands, which then wakes it with SEQ unchanged.
  while (Atomics.load(control, SEQ) === seq) Atomics.wait(control, SEQ, seq);
  seq = Atomics.load(control, SEQ);
  const command = Atomics.load(control, COMMAND);
  current = null;
  try {
    if (command === Command.Attach) attach();
    else if (command === Command.Close) closeEnvs();
    else if (!built) throw new Error('this worker failed to build its envs');
    else if (command === Command.Reset) reset();
    else if (command === Command.Step) step();
    else throw new Error(`AsyncVectorEnv worker: unknown command ${command}`);
    flushResults();
  } catch (e) {
    fail(command === Command.Reset ? 'reset' : command === Command.Step ? 'step' : command === Command.Close ? 'close' : 'attach', e);
  }
  done();
  if (command === Command.Close) break;
}
port.close();
