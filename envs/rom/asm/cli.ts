/**
 * Assembles an Octo source file into a CHIP-8 ROM.
 *
 *   npx tsx envs/rom/asm/cli.ts game.8o [-o game.ch8] [--labels]
 *
 * Prints the ROM size and the number of labels (`--labels`: each label's address too). A program with an error
 * prints `file:line:col: problem (near 'token')` and exits with status 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AsmError, assemble } from './index.ts';

const USAGE = 'usage: npx tsx envs/rom/asm/cli.ts <source.8o> [-o <rom.ch8>] [--labels]';

function main(): number {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        labels: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`expected exactly one source file, received ${positionals.length}\n${USAGE}`);
    return 2;
  }
  const input = positionals[0];
  const output = values.out ?? input.replace(/\.8o$/i, '') + '.ch8';
  let source: string;
  try {
    source = readFileSync(input, 'utf8');
  } catch (e) {
    console.error(`cannot read ${input}: ${(e as Error).message}`);
    return 2;
  }
  try {
    const { rom, labels } = assemble(source, { file: input });
    writeFileSync(output, rom);
    console.log(`${output}: ${rom.length} bytes, ${labels.size} labels`);
    if (values.labels) {
      for (const [name, address] of labels) console.log(`  0x${address.toString(16).toUpperCase().padStart(3, '0')} ${name}`);
    }
    return 0;
  } catch (e) {
    if (e instanceof AsmError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

process.exitCode = main();
