import { describe, expect, expectTypeOf, it } from 'vitest';
import { RUN_BACKENDS, defaultOutDir, parseNumberFlag, parseRunFlags, runFlagsUsage, type RunFlagsSetup } from '../agents/runner/flags.ts';
import { InvalidInputError } from '../core/errors.ts';

const setup = { experiment: 'dqn', defaults: { env: 'CartPole-v1', steps: 500_000 }, environ: {} } satisfies RunFlagsSetup<Record<string, never>>;

function expectInvalid(fn: () => unknown, message: string | RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InvalidInputError);
  if (typeof message === 'string') expect((caught as Error).message).toBe(message);
  else expect((caught as Error).message).toMatch(message);
}

describe('parseRunFlags', () => {
  it('fills in the defaults', () => {
    expect(parseRunFlags([], setup)).toEqual({
      experiment: 'dqn',
      env: 'CartPole-v1',
      steps: 500_000,
      seed: 1,
      backend: 'auto',
      out: 'runs/dqn-CartPole-v1-s1',
      resume: false,
      recordEvery: 0,
      evalEvery: 0,
      evalEpisodes: 10,
      quiet: false,
      help: false,
      extra: {},
    });
  });

  it('reads every shared flag', () => {
    const f = parseRunFlags(
      ['--env', 'GridWorld-FourRooms-v0', '--steps=1e6', '--seed', '7', '--backend', 'wasm+openblas', '--resume', '--record-every', '50', '--eval-every', '25k', '--eval-episodes', '5', '--quiet'],
      setup,
    );
    expect(f).toMatchObject({ env: 'GridWorld-FourRooms-v0', steps: 1_000_000, seed: 7, backend: 'wasm+openblas', resume: true, recordEvery: 50, evalEvery: 25_000, evalEpisodes: 5, quiet: true });
    expect(f.out).toBe('runs/dqn-GridWorld-FourRooms-v0-s7');
    expect(parseRunFlags(['--out', 'elsewhere', '--steps', '500_000'], setup)).toMatchObject({ out: 'elsewhere', steps: 500_000 });
    expect(parseRunFlags(['--steps', '1.5M'], setup).steps).toBe(1_500_000);
    expect(defaultOutDir('ppo', 'ALE/Pong-v5', 3)).toBe('runs/ppo-ALE_Pong-v5-s3');
  });

  it('takes the backend from --backend, else ARCADE_BACKEND, else the default, else auto', () => {
    expect(parseRunFlags([], { ...setup, environ: { ARCADE_BACKEND: 'cpu' } }).backend).toBe('cpu');
    expect(parseRunFlags(['--backend', 'node'], { ...setup, environ: { ARCADE_BACKEND: 'cpu' } }).backend).toBe('node');
    expect(parseRunFlags([], { ...setup, defaults: { ...setup.defaults, backend: 'wasm' } }).backend).toBe('wasm');
    expect(parseRunFlags([], { ...setup, environ: { ARCADE_BACKEND: '' } }).backend).toBe('auto');
    expectInvalid(() => parseRunFlags([], { ...setup, environ: { ARCADE_BACKEND: 'tpu' } }), `ARCADE_BACKEND: expected one of ${RUN_BACKENDS.join(', ')}, received "tpu"`);
    expect(RUN_BACKENDS).toEqual(['auto', 'wasm', 'wasm+openblas', 'cpu', 'webgpu', 'node', 'node-gpu']);
  });

  it('names the flag, what it expected and what it received', () => {
    expectInvalid(() => parseRunFlags(['--steps', 'abc'], setup), '--steps: expected a positive integer, received "abc"');
    expectInvalid(() => parseRunFlags(['--steps', '0'], setup), '--steps: expected a positive integer, received "0"');
    expectInvalid(() => parseRunFlags(['--steps', '1.5'], setup), '--steps: expected a positive integer, received "1.5"');
    expectInvalid(() => parseRunFlags(['--seed=-1'], setup), '--seed: expected a non-negative integer, received "-1"');
    expectInvalid(() => parseRunFlags(['--seed', '-1'], setup), '--seed: expected a value after it, received another flag; write --seed=<value> for a value that starts with "-"');
    expectInvalid(() => parseRunFlags(['--backend', 'gpu'], setup), /^--backend: expected one of auto, wasm, wasm\+openblas, cpu, webgpu, node, node-gpu, received "gpu"$/);
    expectInvalid(() => parseRunFlags(['--eval-episodes', '0'], setup), '--eval-episodes: expected a positive integer, received "0"');
    expectInvalid(() => parseRunFlags(['--env', ''], setup), '--env: expected an env id such as CartPole-v1, received ""');
    expectInvalid(() => parseRunFlags(['--steps', 'x', '--seed', 'y'], setup), /^--steps: .*received "x"; --seed: .*received "y"$/);
    expectInvalid(() => parseRunFlags(['--stesp', '5'], setup), '--stesp: unknown flag (--help lists them)');
    expectInvalid(() => parseRunFlags(['--steps'], setup), '--steps: expected a value after it, received none');
    expectInvalid(() => parseRunFlags(['--resume=yes'], setup), '--resume: takes no value (it is a switch), received one');
    expectInvalid(() => parseRunFlags(['100000'], setup), /^unexpected argument "100000": every value follows its flag/);
    expectInvalid(() => parseRunFlags([], { ...setup, defaults: { env: 'X', steps: -5 } }), 'defaults.steps: expected a positive integer, received "-5"');
  });

  it('--help prints the usage and asks the caller to exit, even next to bad flags', () => {
    let out = '';
    const stdout = { write: (s: string) => (out += s) };
    const f = parseRunFlags(['--steps', 'abc', '--help'], { ...setup, stdout, description: 'DQN on CartPole.' });
    expect(f.help).toBe(true);
    expect(f.steps).toBe(500_000);
    expect(out).toContain('Usage: dqn [options]');
    expect(out).toContain('DQN on CartPole.');
    expect(out).toMatch(/--steps <n> +env steps to train for.*\(default: 500000\)/);
    expect(out).toMatch(/--backend <name> +auto \| wasm .* \(default: auto\)/);
    expect(out).toMatch(/--out <dir> +.*\(default: runs\/dqn-<env>-s<seed>\)/);
    out = '';
    expect(parseRunFlags(['-h'], { ...setup, stdout }).help).toBe(true);
    expect(out).toContain('-h, --help');
  });

  it('returns the experiment options, typed', () => {
    const withExtra = {
      ...setup,
      options: {
        lr: { type: 'string', default: '2.5e-4', description: 'learning rate' },
        double: { type: 'boolean', description: 'double DQN' },
        tag: { type: 'string', multiple: true },
        target: { type: 'string' },
      },
    } as const;
    const f = parseRunFlags(['--lr', '1e-3', '--double', '--tag', 'a', '--tag', 'b', '--steps', '100'], withExtra);
    expect(f.extra).toEqual({ lr: '1e-3', double: true, tag: ['a', 'b'], target: undefined });
    expect(f.steps).toBe(100);
    expectTypeOf(f.extra.lr).toEqualTypeOf<string>();
    expectTypeOf(f.extra.double).toEqualTypeOf<boolean | undefined>();
    expectTypeOf(f.extra.tag).toEqualTypeOf<string[] | undefined>();
    expectTypeOf(f.extra.target).toEqualTypeOf<string | undefined>();
    expect(parseRunFlags([], withExtra).extra.lr).toBe('2.5e-4');
    const usage = runFlagsUsage(withExtra);
    expect(usage).toContain('dqn options:');
    expect(usage).toMatch(/--lr <value> +learning rate \(default: 2\.5e-4\)/);
    expect(usage).toMatch(/--tag <value> +\(may be repeated\)/);
    expect(() => parseRunFlags([], { ...setup, options: { steps: { type: 'string' } } })).toThrow(/--steps is one of the shared flags/);
  });

  it('parseNumberFlag reads a script option with the same kind of error', () => {
    expect(parseNumberFlag('lr', '2.5e-4', { greaterThan: 0 })).toBe(2.5e-4);
    expect(parseNumberFlag('buffer', '100k', { integer: true, min: 1 })).toBe(100_000);
    expect(parseNumberFlag('x', undefined)).toBeUndefined();
    expectInvalid(() => parseNumberFlag('lr', 'fast', { greaterThan: 0 }), '--lr: expected a number > 0, received "fast"');
    expectInvalid(() => parseNumberFlag('gamma', '1.5', { min: 0, max: 1 }), '--gamma: expected a number >= 0 and <= 1, received "1.5"');
    expectInvalid(() => parseNumberFlag('n', '1.2345k', { integer: true }), '--n: expected an integer, received "1.2345k"');
  });
});
