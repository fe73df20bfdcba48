/**
 * How `AsyncVectorEnv` (main thread) and its workers talk. Version 1.
 *
 * - One `Int32Array` over a SharedArrayBuffer, the control block (slots below). The main thread writes a command,
 *   sets `PENDING` to the number of workers, bumps `SEQ` and notifies; each worker wakes on `SEQ`, runs the command
 *   for its envs, decrements `PENDING` and notifies; the main thread waits on `PENDING` until it reaches 0.
 * - Observations, rewards, flags and actions that fit typed arrays live in shared memory (see `SharedLayout`).
 * - Everything else (reset arguments, non-empty infos, Dict/Tuple observations and actions, errors) goes as a
 *   structured-cloned message on a MessagePort per worker, read with `receiveMessageOnPort`, so neither side needs
 *   its event loop: the main thread stays synchronous, as `SyncVectorEnv` is.
 * - The supervisor thread (async-supervisor.mjs) is the workers' parent. Its event loop is free, so it sees a
 *   worker die (process.exit, an uncaught throw, out of memory), reports why on its own port and sets `DEAD_BIT` in
 *   `PENDING`, which wakes the main thread: a crash fails the pending call instead of hanging it.
 */
import type { AutoresetMode } from './sync-vector-env.ts';
import type { MakeOptions } from '../registry.ts';
import type { Info } from '../env.ts';

export const PROTOCOL_VERSION = 1;

/** Control block slots. */
export const SEQ = 0;
export const COMMAND = 1;
export const PENDING = 2;
export const CONTROL_SLOTS = 4;
/** Or-ed into `PENDING` by the supervisor when a worker dies: changes the value the main thread waits on. */
export const DEAD_BIT = 1 << 30;

export const Command = { Attach: 1, Reset: 2, Step: 3, Close: 4 } as const;
export type CommandCode = (typeof Command)[keyof typeof Command];

/** How a batch of observations or actions travels: in a shared typed array, or cloned in messages. */
export type SharedKind = 'float32' | 'uint8' | 'int32' | 'float64' | 'clone';

/** The shared buffers, sent to the workers once their spaces are known. */
export interface SharedLayout {
  obsKind: SharedKind;
  /** Elements per observation (1 for Discrete). */
  obsSize: number;
  obs: SharedArrayBuffer | null;
  actKind: SharedKind;
  actSize: number;
  actions: SharedArrayBuffer | null;
  rewards: SharedArrayBuffer;
  terminations: SharedArrayBuffer;
  truncations: SharedArrayBuffer;
  autoreset: SharedArrayBuffer;
}

/** What one env worker builds and runs. */
export interface WorkerPlan {
  worker: number;
  /** Global index of its first env. */
  start: number;
  count: number;
  id: string;
  kwargs: Record<string, unknown>;
  makeOptions: MakeOptions;
  autoresetMode: AutoresetMode;
  /** Module URLs to import before `make`: the user's `imports`, then the registration's `module`. */
  imports: string[];
  control: SharedArrayBuffer;
}

/** Worker -> main messages. */
export type WorkerMessage =
  | { type: 'ready'; worker: number; observationSpace: unknown; actionSpace: unknown }
  | { type: 'result'; seq: number; infos: Array<[number, Info]>; observations: Array<[number, unknown]> }
  | { type: 'error'; seq: number; envIndex: number | null; phase: string; error: SerializedError };

/** Main -> worker messages, read after the command's wake-up. */
export type MainMessage =
  | { type: 'attach'; layout: SharedLayout }
  | { type: 'reset'; seeds: Array<number | undefined>; options: Record<string, unknown> | undefined }
  | { type: 'actions'; actions: unknown[] };

/** Supervisor -> main: a worker stopped without being asked to. */
export interface CrashMessage {
  type: 'crash';
  worker: number;
  exitCode: number | null;
  error: SerializedError | null;
}

/** An error as it crosses threads: the original name, message and stack. */
export interface SerializedError {
  name: string;
  message: string;
  stack: string | undefined;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'thrown value', message: String(e), stack: undefined };
}
