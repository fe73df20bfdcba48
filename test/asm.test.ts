import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../core/index.ts';
import { AsmError, assemble } from '../envs/rom/asm/index.ts';
import { Chip8, type Chip8Options } from '../envs/rom/chip8/index.ts';

/** The ROM as 16-bit words in upper-case hex, e.g. `00E0 1200` (an odd last byte stays 2 digits). */
function words(rom: Uint8Array): string {
  const out: string[] = [];
  for (let k = 0; k < rom.length; k += 2) {
    const hi = rom[k].toString(16).toUpperCase().padStart(2, '0');
    out.push(k + 1 < rom.length ? hi + rom[k + 1].toString(16).toUpperCase().padStart(2, '0') : hi);
  }
  return out.join(' ');
}

/** Assembles statements placed at 0x200 (after `: main`) and gives their words. */
const encode = (body: string): string => words(assemble(`: main\n${body}\n`).rom);

/** The AsmError that assembling `source` throws. */
function asmError(source: string, file?: string): AsmError {
  try {
    assemble(source, file === undefined ? {} : { file });
  } catch (e) {
    if (e instanceof AsmError) return e;
    throw e;
  }
  throw new Error(`expected an AsmError for:\n${source}`);
}

/** Assembles, loads and runs `steps` instructions. */
function run(source: string, steps: number, opts: Chip8Options = {}): Chip8 {
  const vm = new Chip8(opts);
  vm.load(assemble(source).rom);
  for (let k = 0; k < steps && !vm.halted; k++) vm.step();
  return vm;
}

describe('assembler: each instruction encodes as in the CHIP-8 / SUPER-CHIP / XO-CHIP references', () => {
  // [statement, expected words] — expected values written by hand from the opcode tables.
  const cases: Array<[string, string]> = [
    ['clear', '00E0'],
    ['return', '00EE'],
    [';', '00EE'],
    ['jump 0x345', '1345'],
    ['jump0 0x345', 'B345'],
    [':call 0x345', '2345'],
    ['v3 := 0x42', '6342'],
    ['v3 := -1', '63FF'],
    ['vA := 200', '6AC8'],
    ['v3 += 5', '7305'],
    ['v3 -= 1', '73FF'],
    ['v3 := v4', '8340'],
    ['v3 |= v4', '8341'],
    ['v3 &= v4', '8342'],
    ['v3 ^= v4', '8343'],
    ['v3 += v4', '8344'],
    ['v3 -= v4', '8345'],
    ['v3 >>= v4', '8346'],
    ['v3 =- v4', '8347'],
    ['v3 <<= v4', '834E'],
    ['v3 := random 0x0F', 'C30F'],
    ['v3 := delay', 'F307'],
    ['v3 := key', 'F30A'],
    ['delay := v3', 'F315'],
    ['buzzer := v3', 'F318'],
    ['i := 0x123', 'A123'],
    ['i += v3', 'F31E'],
    ['i := hex v3', 'F329'],
    ['i := bighex v3', 'F330'],
    ['bcd v3', 'F333'],
    ['save v3', 'F355'],
    ['load v3', 'F365'],
    ['sprite v1 v2 5', 'D125'],
    ['sprite vE vF 0', 'DEF0'],
    ['if v3 == 5 then clear', '4305 00E0'],
    ['if v3 != 5 then clear', '3305 00E0'],
    ['if v3 == v4 then clear', '9340 00E0'],
    ['if v3 != v4 then clear', '5340 00E0'],
    ['if v3 key then clear', 'E3A1 00E0'],
    ['if v3 -key then clear', 'E39E 00E0'],
    // Octo's pseudo-ops: vF := operand, a subtraction into vF, a skip on vF.
    ['if v3 > v4 then clear', '8F40 8F35 4F00 00E0'],
    ['if v3 < v4 then clear', '8F40 8F37 4F00 00E0'],
    ['if v3 >= 7 then clear', '6F07 8F37 3F00 00E0'],
    ['if v3 <= 7 then clear', '6F07 8F35 3F00 00E0'],
    // SUPER-CHIP
    ['hires', '00FF'],
    ['lores', '00FE'],
    ['scroll-down 3', '00C3'],
    ['scroll-left', '00FC'],
    ['scroll-right', '00FB'],
    ['exit', '00FD'],
    ['saveflags v3', 'F375'],
    ['loadflags v3', 'F385'],
    // XO-CHIP
    ['scroll-up 2', '00D2'],
    ['plane 3', 'F301'],
    ['audio', 'F002'],
    ['save v2 - v5', '5252'],
    ['load v2 - v5', '5253'],
    ['i := long 0x1234', 'F000 1234'],
    ['pitch := v3', 'F33A'],
    // numbers and data
    ['0x12 0b101 -1 7 +3 0XfF', '1205 FF07 03FF'],
    [':byte 0x12 :byte -2', '12FE'],
    ['V3 := VA # registers in either case; comments end the line', '83A0'],
  ];
  it.each(cases)('%s -> %s', (statement, expected) => {
    expect(encode(statement)).toBe(expected);
  });
});

describe('assembler: labels, constants, aliases and where main goes', () => {
  it('puts main at 0x200 without a jump when it is the first label (Octo)', () => {
    const { rom, labels } = assemble(': main\n  clear\n  jump main\n');
    expect(words(rom)).toBe('00E0 1200');
    expect(labels.get('main')).toBe(0x200);
  });

  it('starts with a jump to main when main is not first, and resolves forward calls', () => {
    const { rom, labels } = assemble(': draw\n  clear\n  return\n: main\n  draw\n  :call draw\n  jump later\n: later\n  loop again\n');
    expect(words(rom)).toBe('1206 00E0 00EE 2202 2202 120C 120C');
    expect(labels.get('draw')).toBe(0x202);
    expect(labels.get('main')).toBe(0x206);
    expect(labels.get('later')).toBe(0x20c);
  });

  it('gives a label placed just before main the address of main', () => {
    const { labels } = assemble(': start : main\n  jump start\n');
    expect(labels.get('start')).toBe(0x200);
    expect(labels.get('main')).toBe(0x200);
  });

  it('patches forward references in i :=, jump0, :unpack, i := long and :pointer', () => {
    const source = [': main', '  i := data', '  jump0 data', '  :unpack 0xA data', '  i := long data', '  :pointer data', ': data', '  0xFF 0x81'].join('\n');
    // data = 0x200 + 2 + 2 + 4 + 4 + 2 = 0x20E
    expect(words(assemble(source).rom)).toBe('A20E B20E 60A2 610E F000 020E 020E FF81');
  });

  it(':unpack splits an address as Octo documents (0x582 with nibble 0xA -> v0 := 0xA5, v1 := 0x82)', () => {
    const { rom } = assemble(': main\n  :unpack 0xA cucumber\n  :org 0x582\n: cucumber\n  clear\n');
    expect(words(rom.slice(0, 4))).toBe('60A5 6182');
    expect(rom.length).toBe(0x584 - 0x200);
    expect(words(rom.slice(0x382))).toBe('00E0');
  });

  it(':next labels the second byte of the next instruction (self-modifying code)', () => {
    const { rom, labels } = assemble(': main :next target va := 2 ;');
    expect(words(rom)).toBe('6A02 00EE');
    expect(labels.get('target')).toBe(0x201);
  });

  it(':const and :alias name numbers and registers; OCTO_KEY_* are predefined', () => {
    expect(encode(':const speed 3\n:alias px v5\npx += speed\nv1 := OCTO_KEY_W\nif px key then px := 0')).toBe('7503 6105 E5A1 6500');
    expect(encode(':const here-now main\ni := here-now')).toBe('A200');
  });

  it(':org moves the assembly address; the gap is zero-filled', () => {
    expect(encode('clear\n:org 0x206\n0xAB')).toBe('00E0 0000 0000 AB');
  });

  it('returns a label map only with labels (not constants)', () => {
    const { labels } = assemble(':const a 1\n: main\n: b\n  clear\n');
    expect([...labels.keys()]).toEqual(['main', 'b']);
  });
});

describe('assembler: control flow encodings', () => {
  it('if ... begin ... end jumps over the block when the condition is false', () => {
    // 0x200 skip-if-equal, 0x202 jump end, 0x204 body, 0x206 end
    expect(encode('if v0 == 1 begin v1 := 2 end clear')).toBe('3001 1206 6102 00E0');
  });

  it('if ... begin ... else ... end', () => {
    expect(encode('if v0 == 1 begin v1 := 2 else v1 := 3 end')).toBe('3001 1208 6102 120A 6103');
  });

  it('if with a pseudo-op and begin negates the comparison', () => {
    // v3 > v4 negated is v3 <= v4: vF := v4, vF -= v3, skip when vF is 0, then the jump
    expect(encode('if v3 > v4 begin clear end')).toBe('8F40 8F35 3F00 120A 00E0');
  });

  it('loop ... if ... then again', () => {
    expect(encode('loop v0 += 1 if v0 != 5 then again')).toBe('7001 3005 1200');
  });

  it('while jumps out of its loop; again patches every while of the loop', () => {
    expect(encode('loop v0 += 1 while v0 != 5 clear while v1 key again')).toBe('7001 4005 120E 00E0 E19E 120E 1200');
  });

  it('nested loops patch their own whiles, even from inside an if ... begin', () => {
    const src = 'loop\n loop\n  while v1 != 2\n again\n if v0 == 0 begin\n  while v0 != 1\n end\n again';
    // outer 0x200; inner 0x200: 4102 1206 (while -> after inner again) 1200 (inner again)
    // 0x206 3000 120E (begin) 4001 1210 (outer while -> 0x210) ; end at 0x20E ; 0x20E 1200 (outer again); 0x210
    expect(encode(src)).toBe('4102 1206 1200 3000 120E 4001 1210 1200');
  });
});

describe('assembler: errors name the line and column', () => {
  const cases: Array<[string, string, number, number, RegExp]> = [
    ['unknown label', ': main\n  jump nowhere\n', 2, 8, /unknown label 'nowhere'/],
    ['unknown call', ': main\n  clear\n  drwa\n', 3, 3, /unknown label 'drwa'/],
    ['bad register', ': main\n  sprite v0 vz 3\n', 2, 13, /expected a register.*'vz'/],
    ['byte out of range', ': main\n  v0 := 256\n', 2, 9, /256 does not fit in a byte/],
    ['nibble out of range', ': main\n  sprite v0 v1 16\n', 2, 16, /16 does not fit in 4 bits/],
    ['address out of range', ': main\n  jump 0x1000\n', 2, 8, /does not fit in 12 bits/],
    ['label as a byte', ': main\n  v0 := main\n', 2, 9, /'main' is a label/],
    ['unknown operator', ': main\n  v0 ~= v1\n', 2, 6, /unknown operator '~='/],
    ['no immediate or', ': main\n  v0 |= 3\n', 2, 9, /takes a register/],
    ['unterminated begin', ': main\n  if v0 == 1 begin\n    clear\n', 2, 3, /'if \.\.\. begin' has no matching 'end'/],
    ['unterminated loop', ': main\n  loop\n    clear\n', 2, 3, /'loop' has no matching 'again'/],
    ['else without begin', ': main\n  else\n', 2, 3, /'else' has no matching/],
    ['again without loop', ': main\n  again\n', 2, 3, /'again' has no matching 'loop'/],
    ['while outside a loop', ': main\n  while v0 == 1\n', 2, 3, /'while' is not inside a 'loop'/],
    ['crossed nesting', ': main\n  loop\n  if v0 == 1 begin\n  again\n', 4, 3, /needs 'end' first/],
    ['if without then', ': main\n  if v0 == 1 clear\n', 2, 14, /expected 'then' or 'begin'/],
    ['label redefined', ': main\n: here\n: here\n', 3, 3, /'here' is already defined/],
    ['const and label share names', ':const speed 2\n: speed\n', 2, 3, /'speed' is already defined \(as a const\)/],
    ['reserved name', ': loop\n', 1, 3, /'loop' is reserved/],
    ['register as a label', ': v3\n', 1, 3, /'v3' is a register/],
    ['missing main', ': start\n  clear\n', 2, 3, /no ': main' label/],
    ['data out of range', ': main\n  300\n', 2, 3, /data byte 300/],
    ['forward constant', ':const a b\n: main\n', 1, 10, /'b' is not defined yet/],
    ['incomplete statement', ': main\n  v0 :=', 2, 6, /unexpected end of the source/],
    ['unknown directive', ': main\n  :frobnicate 3\n', 2, 3, /unknown directive ':frobnicate'/],
    ['unterminated string', ': main\n  "abc\n', 2, 3, /missing a closing "/],
  ];
  it.each(cases)('%s', (_name, source, line, column, message) => {
    const e = asmError(source);
    expect(e.message).toMatch(message);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message.startsWith(`${line}:${column}: `)).toBe(true);
  });

  it('is an InvalidInputError whose message reads file:line:col: problem (near token)', () => {
    const e = asmError(': main\n  v0 := 5\n  jump nowhere\n', 'game.8o');
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e.file).toBe('game.8o');
    expect(e.message).toBe("game.8o:3:8: unknown label 'nowhere' (near 'nowhere')");
  });

  it('rejects a source that is not a string', () => {
    expect(() => assemble(42 as unknown as string)).toThrow(/source must be a string, received number/);
  });
});

describe('assembler: metaprogramming (macros, :calc, :stringmode, :assert)', () => {
  it('expands macros with arguments and CALLS', () => {
    const src = ':macro swap A B {\n  vf := A\n  A := B\n  B := vf\n}\n: main\n  swap v0 v1\n:macro count { :byte CALLS }\n  count count';
    expect(words(assemble(src).rom)).toBe('8F00 8010 81F0 0001');
  });

  it(':calc evaluates right to left as Octo, and :byte { } takes an expression', () => {
    const src = ':calc a { 2 * 3 + 1 }\n:calc b { ( 2 * 3 ) + 1 }\n: main\n  v0 := a\n  v1 := b\n  :byte { a << 1 }';
    expect(words(assemble(src).rom)).toBe('6008 6107 10');
  });

  it(':stringmode gives the bytes of the manual example', () => {
    const src = ':stringmode text8 "ABCDEFGHIJKLMNOPQRSTUVWXYZ !" {\n  :byte { 8 * VALUE }\n}\n: main\n  text8 "GAME OVER!"';
    expect(words(assemble(src).rom)).toBe('3000 6020 D070 A820 88D8');
  });

  it(':assert stops the assembly with its message', () => {
    expect(asmError(':const w 9\n:assert "too wide" { w < 8 }\n: main').message).toBe("2:1: assertion failed: too wide (near ':assert')");
  });

  it('a macro that expands itself is an error, not a hang', () => {
    expect(asmError(':macro forever { forever }\n: main forever').message).toMatch(/does not end/);
  });
});

describe('assembler: round trip on the Chip8 machine', () => {
  it('runs arithmetic, a subroutine, a counted loop, data and a sprite', () => {
    const source = `
      # a tiny program: draws a 2-row sprite at (2, 3), counts to 10, calls a subroutine
      :alias counter v5
      :const ROWS 2
      : main
        v0 := 2
        v1 := 3
        i := box
        sprite v0 v1 ROWS
        counter := 0
        loop
          counter += 1
          while counter != 10
        again
        add-seven
        v7 := 200
        v7 += 100          # wraps to 44, vF stays 0 for 7xnn
        v8 := 0x0F
        v8 <<= v8          # 0x1E
        :unpack 0 box      # v0/v1 = address of box
      : halt
        jump halt
      : add-seven
        v6 := counter
        v6 += 7
        return
      : box
        0b11000011
        0b00111100
    `;
    const vm = run(source, 200);
    const { labels } = assemble(source);
    expect(vm.pc).toBe(labels.get('halt'));
    expect(vm.v[5]).toBe(10);
    expect(vm.v[6]).toBe(17);
    expect(vm.v[7]).toBe(44);
    expect(vm.v[8]).toBe(0x1e);
    const box = labels.get('box') as number;
    expect([vm.v[0], vm.v[1]]).toEqual([box >> 8, box & 0xff]);
    const lit: string[] = [];
    for (let y = 0; y < vm.height; y++) for (let x = 0; x < vm.width; x++) if (vm.framebuffer[y * vm.width + x]) lit.push(`${x},${y}`);
    expect(lit).toEqual(['2,3', '3,3', '8,3', '9,3', '4,4', '5,4', '6,4', '7,4']);
  });

  // Every comparison, in `if ... then` and `if ... begin ... else ... end`, register and constant forms.
  const ops: Array<[string, (a: number, b: number) => boolean]> = [
    ['==', (a, b) => a === b], ['!=', (a, b) => a !== b], ['<', (a, b) => a < b],
    ['>', (a, b) => a > b], ['<=', (a, b) => a <= b], ['>=', (a, b) => a >= b],
  ];
  it.each(ops)('comparison %s behaves as its meaning on the machine', (op, truth) => {
    for (const [a, b] of [[3, 7], [7, 3], [5, 5], [0, 255], [255, 0]]) {
      const source = `: main
        v1 := ${a}  v2 := ${b}
        v3 := 0  if v1 ${op} v2 then v3 := 1
        v4 := 0  if v1 ${op} ${b} then v4 := 1
        if v1 ${op} v2 begin v5 := 1 else v5 := 2 end
        if v1 ${op} ${b} begin v6 := 1 else v6 := 2 end
        loop again`;
      const vm = run(source, 60);
      const want = truth(a, b);
      expect([vm.v[3], vm.v[4], vm.v[5], vm.v[6]], `${a} ${op} ${b}`).toEqual(want ? [1, 1, 1, 1] : [0, 0, 2, 2]);
    }
  });

  it('key conditions follow the keys held', () => {
    const source = ': main\n v0 := 5\n v1 := 0 v2 := 0\n if v0 key then v1 := 1\n if v0 -key then v2 := 1\n loop again';
    const vm = new Chip8();
    vm.load(assemble(source).rom);
    vm.setKeys(1 << 5);
    for (let k = 0; k < 20; k++) vm.step();
    expect([vm.v[1], vm.v[2]]).toEqual([1, 0]);
  });

  it('XO-CHIP: i := long to data past 0x1000, load and save register ranges, :unpack long', () => {
    const source = `: main
      i := long far
      load v2 - v4          # v2..v4 = 7 8 9, i unchanged
      v2 += 10
      save v2 - v2          # far[0] = 17
      load v0 - v0          # v0 = 17
      :unpack long far      # v0 = 0x12, v1 = 0x34
      exit
      :org 0x1234
    : far
      7 8 9`;
    const vm = run(source, 20, { profile: 'xo-chip' });
    expect(vm.halted).toBe(true);
    expect([vm.v[0], vm.v[1], vm.v[2], vm.v[3], vm.v[4]]).toEqual([0x12, 0x34, 17, 8, 9]);
    expect(vm.i).toBe(0x1234);
    expect(vm.memory[0x1234]).toBe(17);
  });

  it('SUPER-CHIP: hires, a 16x16 sprite and exit', () => {
    const rows = Array.from({ length: 32 }, () => '0xFF').join(' ');
    const vm = run(`: main\n hires\n v0 := 0\n i := big\n sprite v0 v0 0\n exit\n: big\n ${rows}`, 50, { profile: 'schip-modern' });
    expect(vm.halted).toBe(true);
    expect(vm.hires).toBe(true);
    let on = 0;
    for (const p of vm.framebuffer) on += p;
    expect(on).toBe(256);
  });
});

describe('assembler: the README example', () => {
  const readme = readFileSync('envs/rom/asm/README.md', 'utf8');
  const example = /## Example\n\n```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

  it('assembles and moves the dot with the keys held', () => {
    expect(example).toContain(': main');
    const vm = new Chip8();
    vm.load(assemble(example, { file: 'README.md' }).rom);
    // Runs n instructions, then on to the top of the loop (0x206, after the three set-up instructions).
    const runToLoopTop = (n: number): void => {
      for (let k = 0; k < n || vm.pc !== 0x206; k++) vm.step();
    };
    runToLoopTop(200);
    expect(vm.v[0]).toBe(30);
    vm.setKeys(1 << 9); // OCTO_KEY_D: right, up to the clamp at 62
    runToLoopTop(2000);
    expect(vm.v[0]).toBe(62);
    vm.setKeys(1 << 7); // OCTO_KEY_A: left, one pixel per pass through the loop
    const passes = 10;
    for (let p = 0; p < passes; p++) runToLoopTop(1);
    expect(vm.v[0]).toBe(62 - passes);
    expect(vm.v[1]).toBe(16);
  });
});

describe('assembler: speed and the command line', () => {
  // Its speed is a figure for envs/rom/asm/bench.ts, never a timed assertion.
  it('assembles a 1,000-line program with 250 forward-referenced labels', () => {
    const lines = [': main'];
    for (let k = 0; k < 250; k++) lines.push(`: f${k}`, `  v${(k % 15).toString(16)} += ${k % 200}`, `  if v0 == ${k % 250} then f${(k + 1) % 250}`, '  return');
    const source = lines.join('\n');
    const { rom, labels } = assemble(source);
    expect(labels.size).toBe(251);
    expect(rom.length).toBe(250 * 8);
  });

  it('cli.ts writes the ROM and prints its size and label count; a bad program exits 1 with file:line:col', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arcade-asm-'));
    const src = join(dir, 'game.8o');
    writeFileSync(src, ': main\n  v0 := 1\n  loop again\n');
    const cli = (args: string[]): string => execFileSync(process.execPath, ['--import', 'tsx', 'envs/rom/asm/cli.ts', ...args], { encoding: 'utf8', stdio: 'pipe' });
    expect(cli([src, '-o', join(dir, 'out.ch8')])).toContain('out.ch8: 4 bytes, 1 labels');
    expect(words(new Uint8Array(readFileSync(join(dir, 'out.ch8'))))).toBe('6001 1202');
    writeFileSync(src, ': main\n  jump nowhere\n');
    let stderr = '';
    let status = 0;
    try {
      cli([src]);
    } catch (e) {
      ({ stderr, status } = e as { stderr: string; status: number });
    }
    expect(status).toBe(1);
    expect(stderr).toContain(`${src}:2:8: unknown label 'nowhere'`);
  });
});
