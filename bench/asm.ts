/**
 * How fast the assembler is: a generated 1,000-line program and the project's own games (envs/rom/own/*.8o).
 *
 *   npx tsx bench/asm.ts [--repeat 200]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { assemble } from '../envs/rom/asm/index.ts';

const { values } = parseArgs({ options: { repeat: { type: 'string', default: '200' } } });
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive integer, received ${values.repeat}`);

/** 250 subroutines of 4 lines each: arithmetic, a comparison, a call, a return. */
function generated(): string {
  const lines = [': main'];
  for (let k = 0; k < 250; k++) {
    lines.push(`: f${k}`, `  v${(k % 15).toString(16)} += ${k % 200}`, `  if v0 == ${k % 250} then f${(k + 1) % 250}`, '  return');
  }
  return lines.join('\n');
}

const ownDir = join(import.meta.dirname, '..', 'envs', 'rom', 'own');
const programs: Array<[string, string]> = [['generated (1,001 lines)', generated()]];
for (const f of readdirSync(ownDir).filter((name) => name.endsWith('.8o')).sort()) programs.push([f, readFileSync(join(ownDir, f), 'utf8')]);

for (const [name, source] of programs) {
  for (let k = 0; k < 20; k++) assemble(source);
  const t0 = performance.now();
  let bytes = 0;
  for (let k = 0; k < repeat; k++) bytes = assemble(source).rom.length;
  const ms = (performance.now() - t0) / repeat;
  console.log(`${name}: ${source.split('\n').length} lines, ${bytes} bytes, ${ms.toFixed(3)} ms per assembly`);
}
