/**
 * Runs the PyTorch peer (bench/peers/torch_updates.py) as a child process, one thread for torch and its BLAS,
 * and reads its JSON; or says why it could not run (no python, no torch, a crash).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { formatZodError } from '../../core/index.ts';

const SCRIPT = fileURLToPath(new URL('../peers/torch_updates.py', import.meta.url));
/** Exit status the script uses when torch cannot be imported. */
const NO_TORCH = 3;

const rateSchema = z.object({ wall: z.array(z.number()).min(1), cpu: z.array(z.number()).min(1) });
const reportSchema = z.object({
  torch: z.string(),
  /** The Debian package torch came from, e.g. "python3-torch 1.13.1+dfsg-4", or "". */
  package: z.string(),
  python: z.string(),
  threads: z.number().int(),
  blas: z.string(),
  results: z.record(z.string(), rateSchema),
});
export type TorchReport = z.infer<typeof reportSchema>;

export type TorchPeer = { ok: true; report: TorchReport } | { ok: false; reason: string };

/** Runs the peer with `python` (Debian's /usr/bin/python3, where `apt-get install python3-torch` puts torch). */
export function runTorchPeer(python: string, seconds: number, repeats: number): Promise<TorchPeer> {
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const args = [SCRIPT, '--seconds', String(seconds), '--repeats', String(repeats)];
  return new Promise((resolve) => {
    execFile(python, args, { env, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const lastLine = stderr.trim().split('\n').at(-1) ?? '';
      if (error !== null) {
        // `code` is the exit status, or an errno string when the process could not start.
        const code: unknown = (error as { code?: unknown }).code;
        if (code === 'ENOENT') return resolve({ ok: false, reason: `${python} not found` });
        const why = code === NO_TORCH ? `${lastLine}; apt-get install python3-torch` : `the peer failed (${error.message.split('\n')[0]}): ${lastLine}`;
        return resolve({ ok: false, reason: why });
      }
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        return resolve({ ok: false, reason: `the peer printed no JSON: ${stdout.slice(0, 200)}` });
      }
      const parsed = reportSchema.safeParse(json);
      resolve(parsed.success ? { ok: true, report: parsed.data } : { ok: false, reason: `the peer's JSON: ${formatZodError(parsed.error)}` });
    });
  });
}
