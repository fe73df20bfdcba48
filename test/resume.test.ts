import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Waits until `dir` holds a checkpoint file, polling. */
async function waitForCheckpoint(dir: string, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.ckpt'))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no checkpoint in ${dir} after ${timeoutMs} ms`);
}

describe('a killed run resumes', () => {
  it('SIGKILL after the first checkpoint, then --resume finishes the run from that checkpoint', async () => {
    const out = mkdtempSync(join(tmpdir(), 'arcade-kill-'));
    const args = ['--import', 'tsx', 'experiments/dqn-gridworld.ts', '--out', out, '--quiet', '--eval-every', '0', '--record-every', '0'];
    const child = spawn(process.execPath, [...args, '--steps', '40000'], { stdio: 'ignore' });
    try {
      await waitForCheckpoint(join(out, 'checkpoints'), 60_000);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    const saved = readdirSync(join(out, 'checkpoints')).filter((f) => f.endsWith('.ckpt'));
    expect(saved.length).toBeGreaterThan(0);
    const resumed = execFileSync(process.execPath, [...args, '--steps', '12000', '--resume'], { encoding: 'utf8' });
    expect(resumed).toMatch(/resumed from .*step-0000\d+\.ckpt at step \d+/);
    expect(resumed).toMatch(/done: 12000 steps/);
  });
});
