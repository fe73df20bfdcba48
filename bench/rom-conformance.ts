/**
 * Runs the machine on the community's third-party test ROMs and prints, per test and quirk profile, a hash of the
 * final screen and pass/FAIL where the expected screen is known.
 *
 *   npx tsx bench/rom-conformance.ts --roms <dir> [--show] [--json]
 *
 * <dir> holds (found by SHA-256, in any sub-folder, under any name) the ROMs of Timendus/chip8-test-suite v4.2
 * (`bin/*.ch8`: 1-chip8-logo, 2-ibm-logo, 3-corax+, 4-flags, 5-quirks, 6-keypad, 8-scrolling) and corax89's
 * `test_opcode.ch8` (github.com/corax89/chip8-test-rom). They are GPL/third-party files and are not in this
 * repository. Tests pick their platform through the byte at 0x1FF, as the suite's README documents, and press keys
 * where they need them (keypad test: keys 1 and 6 held; GETKEY: key 5 pressed and released).
 *
 * The expected hashes below were NOT computed from a reference implementation: each screen was printed as ASCII
 * (`--show`) and checked by eye against the suite's README and its pictures (all checkmarks in the opcode, flags
 * and quirks tests with the quirk values the README gives for the platform; "ALL GOOD" in GETKEY; keys 1 and 6 lit
 * in the keypad test; every arrow inside its box in the scrolling test). A test without an expected hash prints
 * `unverified`. Exit code 1 when any test FAILs.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Chip8, CHIP8_PROFILES, type Chip8Profile } from '../envs/rom/chip8/index.ts';

const { values } = parseArgs({
  options: {
    roms: { type: 'string' },
    show: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
if (values.roms === undefined) {
  console.error('usage: npx tsx bench/rom-conformance.ts --roms <dir> [--show] [--json]');
  process.exit(2);
}

/** The test ROMs by the SHA-256 of their files. */
const TEST_ROMS: Record<string, string> = {
  '15f7fb887ea4cb8e40615bb20b0cfd993ef55ca84c535c8c8f3fafa8bf129724': 'chip8-logo',
  '00072a250d2f7ccaa3ecc0182bac73e63c168abab96d7ea2df5eba6a4da49067': 'ibm-logo',
  '1c7e14eae14d6d5e1e47693804110354cbc4081defe4e6e5d9167c25ffc7b4b0': 'corax+',
  'f00ddadd37bc878473de0c8f16faecf9985dea39036a3a796d551bc9fec47cfa': 'flags',
  'd839350268a3e73c7a16562b3d23c85aa1b92a567f5f61bd6727b1ea44635679': 'quirks',
  '558902b0e406bb97dc808c16d55abf493706598246e3c77aea9d9401063169c9': 'keypad',
  '3f43507c45a949e5b014445853205dd1f36bb532cf25baa22209b7c300c596d7': 'scrolling',
  '67759cf9f5b27db66f0769ea8fd0b30ba220f46d6f19f8ba4fd4108d986ce0ab': 'corax89',
};

interface Case {
  /** Which ROM (a value of TEST_ROMS). */
  rom: string;
  /** What the run checks, for the printout. */
  label: string;
  profile: Chip8Profile;
  frames: number;
  /** The platform / sub-test choice written at 0x1FF (the suite's README), if any. */
  choice?: number;
  /** Keys held from a frame on: [frame, key mask]. */
  keys?: readonly (readonly [number, number])[];
  /** The screen hash checked by eye (see the header). */
  expected?: string;
}

/** Instructions per frame: the machine's default 15 for CHIP-8 (COSMAC VIP speed class), 100 for the others. */
const tickRateOf = (p: Chip8Profile): number => (p === 'chip8' ? 15 : 100);

const ALL = CHIP8_PROFILES;
const QUIRK_CHOICE: Record<Chip8Profile, number> = { chip8: 1, 'schip-modern': 2, 'xo-chip': 3, 'schip-legacy': 4 };
const KEYS_1_6 = (1 << 1) | (1 << 6);

const CASES: Case[] = [
  ...ALL.map((profile): Case => ({ rom: 'chip8-logo', label: 'splash screen', profile, frames: 60 })),
  ...ALL.map((profile): Case => ({ rom: 'ibm-logo', label: 'IBM logo', profile, frames: 60 })),
  ...ALL.map((profile): Case => ({ rom: 'corax+', label: 'opcodes: all checkmarks', profile, frames: 100 })),
  ...ALL.map((profile): Case => ({ rom: 'corax89', label: 'opcodes: all OK', profile, frames: 100 })),
  ...ALL.map((profile): Case => ({ rom: 'flags', label: 'flags: all checkmarks', profile, frames: 200 })),
  ...ALL.map((profile): Case => ({ rom: 'quirks', label: `quirks for its own platform (0x1FF = ${QUIRK_CHOICE[profile]})`, profile, frames: 400, choice: QUIRK_CHOICE[profile] })),
  ...ALL.map((profile): Case => ({ rom: 'keypad', label: 'Ex9E with keys 1 and 6 held', profile, frames: 100, choice: 1, keys: [[50, KEYS_1_6]] })),
  ...ALL.map((profile): Case => ({ rom: 'keypad', label: 'ExA1 with keys 1 and 6 held', profile, frames: 100, choice: 2, keys: [[50, KEYS_1_6]] })),
  ...ALL.map((profile): Case => ({ rom: 'keypad', label: 'Fx0A: key 5 pressed at frame 100, released at 130', profile, frames: 300, choice: 3, keys: [[100, 1 << 5], [130, 0]] })),
  { rom: 'scrolling', label: 'SUPER-CHIP lores, modern', profile: 'schip-modern', frames: 400, choice: 1 },
  { rom: 'scrolling', label: 'SUPER-CHIP lores, legacy (half-pixel)', profile: 'schip-legacy', frames: 400, choice: 2 },
  { rom: 'scrolling', label: 'SUPER-CHIP hires', profile: 'schip-modern', frames: 400, choice: 3 },
  { rom: 'scrolling', label: 'SUPER-CHIP hires', profile: 'schip-legacy', frames: 400, choice: 3 },
  { rom: 'scrolling', label: 'XO-CHIP lores', profile: 'xo-chip', frames: 400, choice: 4 },
  { rom: 'scrolling', label: 'XO-CHIP hires', profile: 'xo-chip', frames: 400, choice: 5 },
];

/** Expected screen hashes (checked by eye, see the header), keyed `rom/label/profile`. */
const EXPECTED: Record<string, string> = {
  'chip8-logo/splash screen/chip8': '9cf813dd24e4c9e1',
  'chip8-logo/splash screen/schip-modern': '9cf813dd24e4c9e1',
  'chip8-logo/splash screen/schip-legacy': '9cf813dd24e4c9e1',
  'chip8-logo/splash screen/xo-chip': '9cf813dd24e4c9e1',
  'ibm-logo/IBM logo/chip8': '3b3afd39a4ac54b8',
  'ibm-logo/IBM logo/schip-modern': '3b3afd39a4ac54b8',
  'ibm-logo/IBM logo/schip-legacy': '3b3afd39a4ac54b8',
  'ibm-logo/IBM logo/xo-chip': '3b3afd39a4ac54b8',
  'corax+/opcodes: all checkmarks/chip8': '2d4286d495587d5e',
  'corax+/opcodes: all checkmarks/schip-modern': '2d4286d495587d5e',
  'corax+/opcodes: all checkmarks/schip-legacy': '2d4286d495587d5e',
  'corax+/opcodes: all checkmarks/xo-chip': '2d4286d495587d5e',
  'corax89/opcodes: all OK/chip8': 'a6e04bf59199ef79',
  'corax89/opcodes: all OK/schip-modern': 'a6e04bf59199ef79',
  'corax89/opcodes: all OK/schip-legacy': 'a6e04bf59199ef79',
  'corax89/opcodes: all OK/xo-chip': 'a6e04bf59199ef79',
  'flags/flags: all checkmarks/chip8': 'a97dcd987c6b5477',
  'flags/flags: all checkmarks/schip-modern': 'a97dcd987c6b5477',
  'flags/flags: all checkmarks/schip-legacy': 'a97dcd987c6b5477',
  'flags/flags: all checkmarks/xo-chip': 'a97dcd987c6b5477',
  'quirks/quirks for its own platform (0x1FF = 1)/chip8': '1c38335bae83f352',
  'quirks/quirks for its own platform (0x1FF = 2)/schip-modern': 'e84abf718f2de7ca',
  'quirks/quirks for its own platform (0x1FF = 4)/schip-legacy': '67793d5ed402a41b',
  'quirks/quirks for its own platform (0x1FF = 3)/xo-chip': 'a51472367130da6d',
  'keypad/Ex9E with keys 1 and 6 held/chip8': '5d1f874962f5b3ca',
  'keypad/Ex9E with keys 1 and 6 held/schip-modern': '5d1f874962f5b3ca',
  'keypad/Ex9E with keys 1 and 6 held/schip-legacy': '5d1f874962f5b3ca',
  'keypad/Ex9E with keys 1 and 6 held/xo-chip': '5d1f874962f5b3ca',
  'keypad/ExA1 with keys 1 and 6 held/chip8': 'a08ef3e47d23fd61',
  'keypad/ExA1 with keys 1 and 6 held/schip-modern': 'a08ef3e47d23fd61',
  'keypad/ExA1 with keys 1 and 6 held/schip-legacy': 'a08ef3e47d23fd61',
  'keypad/ExA1 with keys 1 and 6 held/xo-chip': 'a08ef3e47d23fd61',
  'keypad/Fx0A: key 5 pressed at frame 100, released at 130/chip8': 'fc7a065ca19e57b6',
  'keypad/Fx0A: key 5 pressed at frame 100, released at 130/schip-modern': 'fc7a065ca19e57b6',
  'keypad/Fx0A: key 5 pressed at frame 100, released at 130/schip-legacy': 'fc7a065ca19e57b6',
  'keypad/Fx0A: key 5 pressed at frame 100, released at 130/xo-chip': 'fc7a065ca19e57b6',
  'scrolling/SUPER-CHIP lores, modern/schip-modern': 'f35e811654f32e36',
  'scrolling/SUPER-CHIP lores, legacy (half-pixel)/schip-legacy': 'f35e811654f32e36',
  'scrolling/SUPER-CHIP hires/schip-modern': '3665f0552f01475c',
  'scrolling/SUPER-CHIP hires/schip-legacy': '3665f0552f01475c',
  'scrolling/XO-CHIP lores/xo-chip': '0441aa8a5f880cbd',
  'scrolling/XO-CHIP hires/xo-chip': '6ff2555f672428f1',
};

function findRoms(dir: string): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const bytes = new Uint8Array(readFileSync(p));
        const name = TEST_ROMS[createHash('sha256').update(bytes).digest('hex')];
        if (name !== undefined) found.set(name, bytes);
      }
    }
  };
  walk(dir);
  return found;
}

function screenHash(vm: Chip8): string {
  return createHash('sha256').update(Uint8Array.of(vm.width, vm.height)).update(vm.framebuffer).digest('hex').slice(0, 16);
}

function ascii(vm: Chip8): string {
  const rows: string[] = [];
  for (let y = 0; y < vm.height; y++) {
    let s = '';
    for (let x = 0; x < vm.width; x++) s += vm.framebuffer[y * vm.width + x] ? '#' : '.';
    rows.push(s);
  }
  return rows.join('\n');
}

function run(c: Case, rom: Uint8Array): Chip8 {
  const vm = new Chip8({ profile: c.profile, tickRate: tickRateOf(c.profile) });
  vm.load(rom);
  if (c.choice !== undefined) vm.memory[0x1ff] = c.choice;
  for (let f = 0; f < c.frames; f++) {
    for (const [at, mask] of c.keys ?? []) if (at === f) vm.setKeys(mask);
    vm.runFrame();
  }
  return vm;
}

const roms = findRoms(values.roms);
const missing = [...new Set(Object.values(TEST_ROMS))].filter((n) => !roms.has(n));
if (missing.length > 0) console.log(`not found in ${values.roms} (by SHA-256): ${missing.join(', ')}`);

interface Row {
  rom: string;
  label: string;
  profile: Chip8Profile;
  hash: string;
  result: 'pass' | 'FAIL' | 'unverified' | 'error';
  error?: string;
}
const rows: Row[] = [];
for (const c of CASES) {
  const bytes = roms.get(c.rom);
  if (bytes === undefined) continue;
  const key = `${c.rom}/${c.label}/${c.profile}`;
  const expected = EXPECTED[key];
  let row: Row;
  let vm: Chip8 | undefined;
  try {
    vm = run(c, bytes);
    const hash = screenHash(vm);
    row = { rom: c.rom, label: c.label, profile: c.profile, hash, result: expected === undefined ? 'unverified' : hash === expected ? 'pass' : 'FAIL' };
  } catch (e) {
    row = { rom: c.rom, label: c.label, profile: c.profile, hash: '-', result: 'error', error: (e as Error).message };
  }
  rows.push(row);
  if (!values.json) {
    console.log(`${row.result.padEnd(10)} ${row.hash}  ${c.rom.padEnd(10)} ${c.profile.padEnd(12)} ${c.label}${row.error ? `: ${row.error}` : ''}`);
    if (vm !== undefined && (values.show || row.result === 'FAIL')) console.log(ascii(vm));
  }
}
if (values.json) console.log(JSON.stringify(rows, null, 2));
const failed = rows.filter((r) => r.result === 'FAIL' || r.result === 'error').length;
if (!values.json) console.log(`${rows.length} runs: ${rows.filter((r) => r.result === 'pass').length} pass, ${failed} fail, ${rows.filter((r) => r.result === 'unverified').length} unverified`);
process.exitCode = failed > 0 ? 1 : 0;
