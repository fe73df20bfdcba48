import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listEnvs, readEpisode } from '../core/index.ts';
import '../envs/index.ts';

const readme = readFileSync('README.md', 'utf8');
const tsx = (args: string[]): string => execFileSync(process.execPath, ['--import', 'tsx', ...args], { encoding: 'utf8' });

describe('README', () => {
  it('carries the two set-up commands, and .ci/run runs the test one', () => {
    expect(readme).toContain('npm ci && npx tsx experiments/random-gridworld.ts');
    expect(readme).toContain('npm ci && npm test');
    expect(readFileSync('.ci/run', 'utf8')).toContain('npm ci && npm test');
  });

  it('lists every registered env', () => {
    for (const { id } of listEnvs()) expect(readme).toContain(`\`${id}\``);
  });

  it('shows experiments/custom-env.ts verbatim, and that example runs', () => {
    const example = readFileSync('experiments/custom-env.ts', 'utf8').trimEnd();
    expect(readme).toContain(example);
    expect(tsx(['experiments/custom-env.ts'])).toMatch(/GuessNumber-v0 solved with return -?\d/);
  });

  it('the main job prints seeded episode returns and records episodes the reader accepts', () => {
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
