/**
 * The command-line flags every training script shares (`--env`, `--steps`, `--seed`, `--backend`, `--threads`, `--out`,
 * `--resume`, `--record-every`, `--eval-every`, `--eval-episodes`, `--quiet`, `--help`), plus the script's own.
 *
 * ```ts
 * const flags = parseRunFlags(process.argv.slice(2), {
 *   experiment: 'dqn-cartpole',
 *   defaults: { env: 'CartPole-v1', steps: 500_000 },
 *   options: { lr: { type: 'string', default: '2.5e-4', description: 'learning rate' } },
 * });
 * if (flags.help) process.exit(0);
 * const lr = parseNumberFlag('lr', flags.extra.lr, { min: 0 });
 * ```
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { InvalidInputError, type BackendRequest } from '../../core/index.ts';

/** What `--backend` accepts (the same names as `useBackend`). */
export const RUN_BACKENDS = ['auto', 'wasm', 'wasm+openblas', 'cpu', 'webgpu', 'node', 'node-gpu'] as const satisfies readonly BackendRequest[];
// Compile-time check that RUN_BACKENDS names every BackendRequest: this line fails to type-check if one is missing.
const allBackendsListed: Exclude<BackendRequest, (typeof RUN_BACKENDS)[number]> extends never ? true : false = true;
void allBackendsListed;

/** The script's defaults for the shared flags; `env` and `steps` have none of their own. */
export interface RunFlagDefaults {
  env: string;
  steps: number;
  /** Default 1. */
  seed?: number;
  /** Below `ARCADE_BACKEND` (which is below `--backend`); default 'auto'. */
  backend?: BackendRequest;
  /** Default `runs/<experiment>-<env>-s<seed>`. */
  out?: string;
  /** Default 0 (off). */
  recordEvery?: number;
  /** Default 0 (off). */
  evalEvery?: number;
  /** Default 10. */
  evalEpisodes?: number;
}

/** A script's own option, as `node:util` `parseArgs` takes it, plus a line for `--help`. */
export interface ExtraOption {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string | boolean | readonly string[] | readonly boolean[];
  description?: string;
}

export type ExtraOptions = Readonly<Record<string, ExtraOption>>;

type ExtraValue<O extends ExtraOption> = O['type'] extends 'string'
  ? O['multiple'] extends true
    ? string[]
    : string
  : O['multiple'] extends true
    ? boolean[]
    : boolean;

/** The parsed values of a script's own options: strings or booleans (arrays with `multiple`), undefined when absent without a default. */
export type ExtraValues<X extends ExtraOptions> = {
  -readonly [K in keyof X]: X[K] extends { default: string | boolean | readonly string[] | readonly boolean[] } ? ExtraValue<X[K]> : ExtraValue<X[K]> | undefined;
};

export interface RunFlagsSetup<X extends ExtraOptions> {
  /** Names the run folder (`runs/<experiment>-<env>-s<seed>`) and heads `--help`. */
  experiment: string;
  defaults: RunFlagDefaults;
  /** The script's own options (names must differ from the shared flags). */
  options?: X;
  /** A line or two for `--help`. */
  description?: string;
  /** Environment variables (for `ARCADE_BACKEND`); default `process.env`. */
  environ?: Readonly<Record<string, string | undefined>>;
  /** Where `--help` prints; default `process.stdout`. */
  stdout?: { write(text: string): unknown };
}

export interface RunFlags<E = Record<string, never>> {
  experiment: string;
  env: string;
  steps: number;
  seed: number;
  backend: BackendRequest;
  /** `--threads`: OpenBLAS threads for wasm+openblas; undefined when not given, which means 1 (useBackend's default). */
  threads: number | undefined;
  /** The run folder: checkpoints, metrics, config, recorded episodes. */
  out: string;
  /** Continue from the latest checkpoint in `out`. */
  resume: boolean;
  /** Record every n-th episode for the viewer; 0 = off. */
  recordEvery: number;
  /** Evaluate every n env steps; 0 = off. */
  evalEvery: number;
  evalEpisodes: number;
  /** No progress line. */
  quiet: boolean;
  /** `--help` was given: the usage has been printed, and the caller should exit (the other fields are the defaults). */
  help: boolean;
  /** The script's own options. */
  extra: E;
}

const SHARED_OPTIONS = {
  env: { type: 'string' },
  steps: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  threads: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  'record-every': { type: 'string' },
  'eval-every': { type: 'string' },
  'eval-episodes': { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses `argv` (e.g. `process.argv.slice(2)`) strictly: unknown flags, positional arguments and malformed values
 * are `InvalidInputError`s naming the flag, what was expected and what was received
 * (`--steps: expected a positive integer, received "abc"`). Counts take `500000`, `500_000`, `5e5` or `500k`.
 * With `--help` (`-h`) it prints the usage and returns `help: true` without checking the other flags.
 */
export function parseRunFlags<X extends ExtraOptions = Record<string, never>>(argv: readonly string[], setup: RunFlagsSetup<X>): RunFlags<ExtraValues<X>> {
  const extraOptions = checkExtraOptions(setup.options);
  const config = { options: { ...SHARED_OPTIONS, ...stripDescriptions(extraOptions) }, strict: true, allowPositionals: false } as const;

  let values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  try {
    values = parseArgs({ ...config, args: [...argv] }).values;
  } catch (err) {
    if (argv.includes('--help') || argv.includes('-h')) return printHelp(setup);
    throw new InvalidInputError(describeParseArgsError(err));
  }
  if (values.help === true) return printHelp(setup);
  return resolve(values, setup);
}

/** The `--help` text. */
export function runFlagsUsage<X extends ExtraOptions>(setup: RunFlagsSetup<X>): string {
  const d = setup.defaults;
  const envBackend = (setup.environ ?? process.env).ARCADE_BACKEND;
  const backendDefault = envBackend !== undefined && envBackend !== '' ? `${envBackend}, from ARCADE_BACKEND` : (d.backend ?? 'auto');
  const rows: Array<[string, string]> = [
    ['--env <id>', `env id (default: ${d.env})`],
    ['--steps <n>', `env steps to train for; 500000, 500_000, 5e5 and 500k all work (default: ${d.steps})`],
    ['--seed <n>', `seed of everything random in the run (default: ${d.seed ?? 1})`],
    ['--backend <name>', `${RUN_BACKENDS.join(' | ')} (default: ${backendDefault})`],
    ['--threads <n>', 'OpenBLAS threads with wasm+openblas; 1 leaves the other cores to actor threads (default: 1)'],
    ['--out <dir>', `run folder: checkpoints, metrics, config, episodes (default: ${d.out ?? `runs/${setup.experiment}-<env>-s<seed>`})`],
    ['--resume', 'continue from the latest checkpoint in --out'],
    ['--record-every <n>', `record every n-th episode for the viewer; 0 = off (default: ${d.recordEvery ?? 0})`],
    ['--eval-every <n>', `evaluate every n env steps; 0 = off (default: ${d.evalEvery ?? 0})`],
    ['--eval-episodes <n>', `episodes per evaluation (default: ${d.evalEpisodes ?? 10})`],
    ['--quiet', 'no progress line'],
    ['-h, --help', 'print this and exit'],
  ];
  const extraRows: Array<[string, string]> = Object.entries(setup.options ?? {}).map(([name, o]) => {
    const flag = `${o.short !== undefined ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ' <value>' : ''}`;
    const def = o.default !== undefined ? ` (default: ${Array.isArray(o.default) ? o.default.join(', ') : String(o.default)})` : '';
    const many = o.multiple === true ? ' (may be repeated)' : '';
    return [flag, `${o.description ?? ''}${many}${def}`.trim()];
  });
  const width = Math.max(...[...rows, ...extraRows].map(([f]) => f.length)) + 2;
  const fmt = ([f, text]: [string, string]): string => `  ${f.padEnd(width)}${text}`;
  const lines = [`Usage: ${setup.experiment} [options]`];
  if (setup.description !== undefined) lines.push('', setup.description);
  lines.push('', 'Options:', ...rows.map(fmt));
  if (extraRows.length > 0) lines.push('', `${setup.experiment} options:`, ...extraRows.map(fmt));
  return `${lines.join('\n')}\n`;
}

/**
 * A number from a script's own string flag, with the same kind of error as the shared flags
 * (`--lr: expected a number > 0, received "fast"`). Takes `2.5e-4`, `500_000`, `500k`. Undefined stays undefined.
 */
export function parseNumberFlag(name: string, raw: string, opts?: NumberFlagOptions): number;
export function parseNumberFlag(name: string, raw: string | undefined, opts?: NumberFlagOptions): number | undefined;
export function parseNumberFlag(name: string, raw: string | undefined, opts: NumberFlagOptions = {}): number | undefined {
  if (raw === undefined) return undefined;
  const n = parseNumber(raw);
  const ok =
    Number.isFinite(n) &&
    (opts.integer !== true || Number.isSafeInteger(n)) &&
    (opts.min === undefined || n >= opts.min) &&
    (opts.greaterThan === undefined || n > opts.greaterThan) &&
    (opts.max === undefined || n <= opts.max);
  if (ok) return n;
  const bounds = [
    opts.greaterThan !== undefined ? `> ${opts.greaterThan}` : undefined,
    opts.min !== undefined ? `>= ${opts.min}` : undefined,
    opts.max !== undefined ? `<= ${opts.max}` : undefined,
  ].filter((b) => b !== undefined);
  throw new InvalidInputError(flagError(`--${name}`, `${opts.integer === true ? 'an integer' : 'a number'}${bounds.length > 0 ? ` ${bounds.join(' and ')}` : ''}`, raw));
}

export interface NumberFlagOptions {
  integer?: boolean;
  min?: number;
  greaterThan?: number;
  max?: number;
}

// ---------------------------------------------------------------------------------------------------------------

/** `500000`, `500_000`, `5e5`, `2.5e-4`, `-1`, `500k`, `1.5M`, `2B`; NaN for anything else. */
function parseNumber(raw: string): number {
  const s = raw.trim();
  const plain = /^[-+]?(\d+(_\d+)*)(\.\d+)?(e[-+]?\d+)?$/i;
  if (plain.test(s)) return Number(s.replaceAll('_', ''));
  const m = /^([-+]?\d+(?:\.\d+)?)([kKmMbB])$/.exec(s);
  if (m !== null) {
    const scale = { k: 1e3, m: 1e6, b: 1e9 }[m[2].toLowerCase() as 'k' | 'm' | 'b'];
    // Round away binary noise (1.1k = 1100.0000000000002) without hiding a real fraction (1.2345k).
    return Number((Number(m[1]) * scale).toPrecision(15));
  }
  return Number.NaN;
}

const count = (min: number): z.ZodType<number, string> =>
  z
    .string()
    .transform(parseNumber)
    .pipe(z.number().int().min(min).max(Number.MAX_SAFE_INTEGER));

const FLAG_SCHEMAS = {
  env: { expected: 'an env id such as CartPole-v1', schema: z.string().trim().min(1) },
  steps: { expected: 'a positive integer', schema: count(1) },
  seed: { expected: 'a non-negative integer', schema: count(0) },
  backend: { expected: `one of ${RUN_BACKENDS.join(', ')}`, schema: z.enum(RUN_BACKENDS) },
  threads: { expected: 'an integer from 1 to 256', schema: count(1).pipe(z.number().max(256)) },
  out: { expected: 'a folder path', schema: z.string().trim().min(1) },
  'record-every': { expected: 'a non-negative integer (0 = off)', schema: count(0) },
  'eval-every': { expected: 'a non-negative integer (0 = off)', schema: count(0) },
  'eval-episodes': { expected: 'a positive integer', schema: count(1) },
} as const;

type CheckedFlag = keyof typeof FLAG_SCHEMAS;
type FlagOutput<F extends CheckedFlag> = z.output<(typeof FLAG_SCHEMAS)[F]['schema']>;

function resolve<X extends ExtraOptions>(values: Record<string, unknown>, setup: RunFlagsSetup<X>): RunFlags<ExtraValues<X>> {
  const d = setup.defaults;
  const environ = setup.environ ?? process.env;
  const errors: string[] = [];
  function check<F extends CheckedFlag>(flag: F, fallback: () => string, source = `--${flag}`): FlagOutput<F> {
    const given = values[flag];
    const raw = typeof given === 'string' ? given : fallback();
    const r = FLAG_SCHEMAS[flag].schema.safeParse(raw);
    if (r.success) return r.data as FlagOutput<F>;
    errors.push(flagError(given !== undefined ? `--${flag}` : source, FLAG_SCHEMAS[flag].expected, raw));
    return undefined as unknown as FlagOutput<F>;
  }

  const env = check('env', () => d.env, `defaults.env`);
  const steps = check('steps', () => String(d.steps), 'defaults.steps');
  const seed = check('seed', () => String(d.seed ?? 1), 'defaults.seed');
  const envBackend = environ.ARCADE_BACKEND;
  const fromEnviron = envBackend !== undefined && envBackend !== '';
  const backend = check('backend', () => (fromEnviron ? envBackend : (d.backend ?? 'auto')), fromEnviron ? 'ARCADE_BACKEND' : 'defaults.backend');
  const threads = values.threads === undefined ? undefined : check('threads', () => '1');
  const recordEvery = check('record-every', () => String(d.recordEvery ?? 0), 'defaults.recordEvery');
  const evalEvery = check('eval-every', () => String(d.evalEvery ?? 0), 'defaults.evalEvery');
  const evalEpisodes = check('eval-episodes', () => String(d.evalEpisodes ?? 10), 'defaults.evalEpisodes');
  const out = check('out', () => d.out ?? defaultOutDir(setup.experiment, env ?? d.env, seed ?? 1), 'defaults.out');
  if (errors.length > 0) throw new InvalidInputError(errors.join('; '));

  const extra: Record<string, unknown> = {};
  for (const name of Object.keys(setup.options ?? {})) extra[name] = values[name];
  return {
    experiment: setup.experiment,
    env,
    steps,
    seed,
    backend,
    threads,
    out,
    resume: values.resume === true,
    recordEvery,
    evalEvery,
    evalEpisodes,
    quiet: values.quiet === true,
    help: false,
    extra: extra as ExtraValues<X>,
  };
}

/** `runs/<experiment>-<env>-s<seed>`, with characters other than letters, digits, `.`, `_`, `-` in the env id as `_`. */
export function defaultOutDir(experiment: string, env: string, seed: number): string {
  return `runs/${experiment}-${env.replace(/[^A-Za-z0-9._-]/g, '_')}-s${seed}`;
}

function printHelp<X extends ExtraOptions>(setup: RunFlagsSetup<X>): RunFlags<ExtraValues<X>> {
  (setup.stdout ?? process.stdout).write(runFlagsUsage(setup));
  const flags = parseRunFlags([], setup);
  return { ...flags, help: true };
}

/** `<where>: expected <what>, received "<raw>"`; `where` is a flag (`--steps`), `ARCADE_BACKEND` or `defaults.steps`. */
function flagError(where: string, expected: string, received: string): string {
  return `${where}: expected ${expected}, received ${JSON.stringify(received)}`;
}

const SHARED_NAMES = new Set<string>(Object.keys(SHARED_OPTIONS));

function checkExtraOptions<X extends ExtraOptions>(options: X | undefined): X | undefined {
  if (options === undefined) return undefined;
  for (const [name, o] of Object.entries(options)) {
    if (SHARED_NAMES.has(name)) throw new Error(`parseRunFlags: the option --${name} is one of the shared flags; give the script's own option another name`);
    if (o.short === 'h') throw new Error(`parseRunFlags: --${name}: -h is --help`);
  }
  return options;
}

function stripDescriptions(options: ExtraOptions | undefined): Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean | string[] | boolean[] }> {
  const out: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean | string[] | boolean[] }> = {};
  for (const [name, o] of Object.entries(options ?? {})) {
    const c: (typeof out)[string] = { type: o.type };
    if (o.short !== undefined) c.short = o.short;
    if (o.multiple !== undefined) c.multiple = o.multiple;
    if (o.default !== undefined) c.default = (Array.isArray(o.default) ? [...o.default] : o.default) as string | boolean | string[] | boolean[];
    out[name] = c;
  }
  return out;
}

/** node:util's parseArgs errors, reworded to name the flag first. */
function describeParseArgsError(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(err);
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `${flag ?? message}: unknown flag (--help lists them)`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /argument '([^']*)'/.exec(message)?.[1];
      return `unexpected argument ${JSON.stringify(arg ?? message)}: every value follows its flag, as in --steps 100000 (--help lists them)`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(message)) return `${flag}: expected a value after it, received none`;
      if (/does not take an argument/.test(message)) return `${flag}: takes no value (it is a switch), received one`;
      if (/ambiguous/.test(message)) return `${flag}: expected a value after it, received another flag; write ${flag}=<value> for a value that starts with "-"`;
      return message;
    default:
      throw err;
  }
}
