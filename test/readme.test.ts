import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEpisode } from '../core/index.ts';
import { BUILTIN_ENVS, CHIP8_GENERIC_ENV } from '../envs/index.ts';

const readme = readFileSync('README.md', 'utf8');
const tsx = (args: string[]): string => execFileSync(process.execPath, ['--import', 'tsx', ...args], { encoding: 'utf8' });

describe('README', () => {
  it('the main job runs end to end on a small budget: run folder, checkpoint, episodes, final evaluation', () => {
    const out = mkdtempSync(join(tmpdir(), 'arcade-headline-'));
    const text = tsx(['experiments/dqn-platformer.ts', '--steps', '3000', '--eval-every', '3000', '--eval-episodes', '2', '--record-every', '5', '--quiet', '--out', out]);
    expect(text).toMatch(/backend: wasm/);
    expect(text).toMatch(/evaluation on Platformer-1-v0: completed \d+% of 100 episodes/);
    expect(readdirSync(join(out, 'checkpoints')).sort()).toEqual(['step-000002000.ckpt', 'step-000003000.ckpt']);
    expect(readdirSync(join(out, 'episodes')).length).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8')).toContain('eval/completion_rate');
  });

  it('carries the two set-up commands, and .ci/run runs the test one', () => {
    expect(readme).toContain('npm ci && npx tsx experiments/dqn-platformer.ts');
    expect(readme).toContain('npm ci && npm test');
    expect(readFileSync('.ci/run', 'utf8')).toContain('npm ci && npm test');
  });

  it('lists every built-in env', () => {
    // Not listEnvs(): that also holds the ROMs a user imported into their ROM home.
    for (const { id } of [...BUILTIN_ENVS, CHIP8_GENERIC_ENV]) expect(readme).toContain(`\`${id}\``);
  });

  it('shows experiments/custom-env.ts verbatim, and that example runs', () => {
    const example = readFileSync('experiments/custom-env.ts', 'utf8').trimEnd();
    expect(readme).toContain(example);
    expect(tsx(['experiments/custom-env.ts'])).toMatch(/GuessNumber-v0 solved with return -?\d/);
  });

  it('the random-policy example prints seeded episode returns and records episodes the reader accepts', () => {
    const out = mkdtempSync(join(tmpdir(), 'arcade-main-'));
    const args = ['experiments/random-gridworld.ts', '--episodes', '3', '--seed', '7', '--out', out];
    const first = tsx(args);
    expect(first).toMatch(/episode 3: return -?\d+\.\d\d, length \d+/);
    expect(tsx(args)).toBe(first);
    const files = readdirSync(join(out, 'episodes')).filter((f) => f.endsWith('.jsonl'));
    expect(files).toHaveLength(3);
    const episode = readEpisode(join(out, 'episodes', files[0]));
    expect(episode.complete).toBe(true);
    expect(episode.header.envId).toBe('GridWorld-FourRooms-v0');
    expect(episode.header.seed).toBe(7);
  });
});
