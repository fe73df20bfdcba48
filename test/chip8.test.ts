import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../core/index.ts';
import { Chip8, Chip8Error, type Chip8Options, BIG_FONT_ADDRESS, SMALL_FONT_ADDRESS } from '../envs/rom/chip8/index.ts';

/** A ROM from 16-bit opcodes (hand-assembled). */
const rom = (...ops: number[]): Uint8Array => Uint8Array.from(ops.flatMap((o) => [o >> 8, o & 0xff]));

function machine(ops: number[], opts: Chip8Options = {}): Chip8 {
  const vm = new Chip8(opts);
  vm.load(rom(...ops));
  return vm;
}

function steps(vm: Chip8, n: number): Chip8 {
  for (let k = 0; k < n; k++) vm.step();
  return vm;
}

/** The lit pixels as "x,y" strings. */
function lit(vm: Chip8): string[] {
  const out: string[] = [];
  const fb = vm.framebuffer;
  for (let y = 0; y < vm.height; y++) for (let x = 0; x < vm.width; x++) if (fb[y * vm.width + x]) out.push(`${x},${y}`);
  return out;
}

describe('Chip8 basics', () => {
  it('loads at 0x200 with the font below and the documented shape', () => {
    const vm = machine([0x1200]);
    expect(vm.memory.length).toBe(4096);
    expect(vm.memory[0x200]).toBe(0x12);
    expect(vm.pc).toBe(0x200);
    expect(vm.width).toBe(64);
    expect(vm.height).toBe(32);
    expect(vm.framebuffer.length).toBe(64 * 32);
    expect(vm.v.length).toBe(16);
    expect(Array.from(vm.memory.subarray(SMALL_FONT_ADDRESS, SMALL_FONT_ADDRESS + 5))).toEqual([0xf0, 0x90, 0x90, 0x90, 0xf0]);
  });

  it('6xnn, 7xnn (wraps, no flag), Annn, 1nnn', () => {
    const vm = machine([0x6a12, 0x7af0, 0x6f05, 0x7f01, 0xa345, 0x1200]);
    steps(vm, 4);
    expect(vm.v[0xa]).toBe(0x02);
    expect(vm.v[0xf]).toBe(6);
    steps(vm, 2);
    expect(vm.i).toBe(0x345);
    expect(vm.pc).toBe(0x200);
  });

  it('skips 3xnn, 4xnn, 5xy0, 9xy0', () => {
    const vm = machine([0x6105, 0x6205, 0x3105, 0x0000, 0x4106, 0x0000, 0x5120, 0x0000, 0x9120, 0x1234]);
    steps(vm, 5);
    expect(vm.pc).toBe(0x210);
    vm.step(); // 9120 does not skip: equal
    expect(vm.pc).toBe(0x212);
    const b = machine([0x3101, 0x4100, 0x5120]);
    b.step();
    expect(b.pc).toBe(0x202);
    b.step();
    expect(b.pc).toBe(0x204);
    b.v[2] = 1;
    b.step();
    expect(b.pc).toBe(0x206);
  });

  it('2nnn / 00EE call and return', () => {
    // 200: call 206; 202: 6001; 204: jump 204; 206: 6102; 208: ret
    const vm = machine([0x2206, 0x6001, 0x1204, 0x6102, 0x00ee]);
    vm.step();
    expect(vm.pc).toBe(0x206);
    expect(vm.sp).toBe(1);
    expect(vm.stack[0]).toBe(0x202);
    steps(vm, 2);
    expect(vm.v[1]).toBe(2);
    expect(vm.pc).toBe(0x202);
    expect(vm.sp).toBe(0);
    vm.step();
    expect(vm.v[0]).toBe(1);
  });
});

describe('Chip8 arithmetic (8xyN)', () => {
  const run8 = (vx: number, vy: number, n: number, opts: Chip8Options = {}, x = 1, y = 2) => {
    const vm = machine([0x8000 | (x << 8) | (y << 4) | n], opts);
    vm.v[15] = 0xaa;
    vm.v[x] = vx;
    vm.v[y] = vy;
    vm.step();
    return vm;
  };

  it('8xy0 and the logic ops with VF reset (chip8) and without (schip)', () => {
    expect(run8(0x12, 0x34, 0).v[1]).toBe(0x34);
    const or = run8(0x0f, 0xf0, 1);
    expect([or.v[1], or.v[15]]).toEqual([0xff, 0]);
    const and = run8(0x3c, 0x0f, 2);
    expect([and.v[1], and.v[15]]).toEqual([0x0c, 0]);
    const xor = run8(0xff, 0x0f, 3);
    expect([xor.v[1], xor.v[15]]).toEqual([0xf0, 0]);
    const orS = run8(0x0f, 0xf0, 1, { profile: 'schip-modern' });
    expect([orS.v[1], orS.v[15]]).toEqual([0xff, 0xaa]);
  });

  it('8xy4 add with carry', () => {
    const a = run8(0xf0, 0x20, 4);
    expect([a.v[1], a.v[15]]).toEqual([0x10, 1]);
    const b = run8(0x10, 0x20, 4);
    expect([b.v[1], b.v[15]]).toEqual([0x30, 0]);
    const c = run8(0xff, 0x01, 4);
    expect([c.v[1], c.v[15]]).toEqual([0x00, 1]);
  });

  it('8xy5 and 8xy7 subtract with NOT borrow (equal counts as no borrow)', () => {
    const a = run8(0x30, 0x10, 5);
    expect([a.v[1], a.v[15]]).toEqual([0x20, 1]);
    const b = run8(0x10, 0x30, 5);
    expect([b.v[1], b.v[15]]).toEqual([0xe0, 0]);
    const e = run8(0x10, 0x10, 5);
    expect([e.v[1], e.v[15]]).toEqual([0, 1]);
    const c = run8(0x10, 0x30, 7);
    expect([c.v[1], c.v[15]]).toEqual([0x20, 1]);
    const d = run8(0x30, 0x10, 7);
    expect([d.v[1], d.v[15]]).toEqual([0xe0, 0]);
  });

  it('shifts: chip8 shifts VY into VX, schip shifts VX; VF gets the bit shifted out', () => {
    const a = run8(0x00, 0x05, 6);
    expect([a.v[1], a.v[15]]).toEqual([0x02, 1]);
    const b = run8(0x05, 0x00, 6, { profile: 'schip-modern' });
    expect([b.v[1], b.v[15]]).toEqual([0x02, 1]);
    const c = run8(0x00, 0x81, 0xe);
    expect([c.v[1], c.v[15]]).toEqual([0x02, 1]);
    const d = run8(0x81, 0x00, 0xe, { profile: 'schip-legacy' });
    expect([d.v[1], d.v[15]]).toEqual([0x02, 1]);
    const e = run8(0x40, 0x00, 0xe, { profile: 'schip-legacy' });
    expect([e.v[1], e.v[15]]).toEqual([0x80, 0]);
  });

  it('VF as the target register gets the flag, not the result', () => {
    const a = run8(0xff, 0x02, 4, {}, 15, 2);
    expect(a.v[15]).toBe(1);
    const b = run8(0x01, 0x02, 5, {}, 15, 2);
    expect(b.v[15]).toBe(0);
  });

  // Timendus' flags test, third checkmark: VF as the VY input is read before the flag is written.
  it('VF as the VY operand is read before the flag is written', () => {
    // 200: V0 = 0xF0; 202: VF = 0x20; 204: V0 += VF (8 0F 4) -> 0x10 with carry
    const add = machine([0x60f0, 0x6f20, 0x80f4]);
    steps(add, 3);
    expect([add.v[0], add.v[15]]).toEqual([0x10, 1]);
    // 200: V0 = 0x05; 202: VF = 0x07; 204: V0 -= VF (8 0F 5) -> 0xFE with borrow (VF = 0)
    const sub = machine([0x6005, 0x6f07, 0x80f5]);
    steps(sub, 3);
    expect([sub.v[0], sub.v[15]]).toEqual([0xfe, 0]);
  });
});

describe('Chip8 memory and I (Fx1E, Fx29, Fx30, Fx33, Fx55, Fx65)', () => {
  it('Fx33 writes the BCD of VX at I..I+2', () => {
    const vm = machine([0x60fe, 0xa300, 0xf033]);
    steps(vm, 3);
    expect(Array.from(vm.memory.subarray(0x300, 0x303))).toEqual([2, 5, 4]);
    const z = machine([0x6007, 0xa300, 0xf033]);
    steps(z, 3);
    expect(Array.from(z.memory.subarray(0x300, 0x303))).toEqual([0, 0, 7]);
  });

  it('Fx1E adds VX to I; Fx29 points at the small digit, Fx30 at the big one (schip)', () => {
    const vm = machine([0xa100, 0x6320, 0xf31e, 0x630a, 0xf329], { profile: 'schip-modern' });
    steps(vm, 3);
    expect(vm.i).toBe(0x120);
    steps(vm, 2);
    expect(vm.i).toBe(SMALL_FONT_ADDRESS + 50);
    const s = machine([0x6309, 0xf330], { profile: 'schip-modern' });
    steps(s, 2);
    expect(s.i).toBe(BIG_FONT_ADDRESS + 90);
  });

  it('Fx55/Fx65 store and load V0..VX; I += X+1 on chip8, unchanged on schip', () => {
    const ops = [0x6011, 0x6122, 0x6233, 0x6344, 0xa300, 0xf255];
    const c = machine(ops);
    steps(c, 6);
    expect(Array.from(c.memory.subarray(0x300, 0x304))).toEqual([0x11, 0x22, 0x33, 0]);
    expect(c.i).toBe(0x303);
    const s = machine(ops, { profile: 'schip-modern' });
    steps(s, 6);
    expect(s.i).toBe(0x300);
    const l = machine([0xa300, 0xf165], { profile: 'chip8' });
    l.memory.set([9, 8, 7], 0x300);
    steps(l, 2);
    expect(Array.from(l.v.subarray(0, 3))).toEqual([9, 8, 0]);
    expect(l.i).toBe(0x302);
    const x = machine([0xa300, 0xf165], { quirks: { loadStoreIncrement: 'x' } });
    steps(x, 2);
    expect(x.i).toBe(0x301);
  });
});

describe('Chip8 jumps and random', () => {
  it('Bnnn jumps to nnn+V0; schip Bxnn jumps to xnn+VX', () => {
    const a = machine([0x6004, 0x6210, 0xb300]);
    steps(a, 3);
    expect(a.pc).toBe(0x304);
    const b = machine([0x6004, 0x6310, 0xb300], { profile: 'schip-modern' });
    steps(b, 3);
    expect(b.pc).toBe(0x310);
  });

  it('Cxnn is deterministic under a seed, masked by nn, and seed() restarts the stream', () => {
    const ops = [0xc0ff, 0xc1ff, 0xc20f, 0x1206];
    const draw = (seed: number) => Array.from(steps(machine(ops, { seed }), 3).v.subarray(0, 3));
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(7)[2]).toBeLessThan(16);
    const vm = machine(ops, { seed: 1 });
    vm.seed(7);
    steps(vm, 3);
    expect(Array.from(vm.v.subarray(0, 3))).toEqual(draw(7));
    // many draws cover the byte range
    const seen = new Set<number>();
    const r = machine([0xc0ff, 0x1200], { seed: 3 });
    for (let k = 0; k < 4000; k++) {
      r.step();
      seen.add(r.v[0]);
    }
    expect(seen.size).toBe(256);
  });
});

describe('Chip8 drawing', () => {
  it('Dxyn XORs a sprite, sets VF on collision, 00E0 clears', () => {
    // sprite at 0x300: 0b11000000, 0b10000000
    const vm = machine([0xa300, 0x6002, 0x6103, 0xd012, 0xd012, 0xd012, 0x00e0]);
    vm.memory.set([0xc0, 0x80], 0x300);
    steps(vm, 4);
    expect(lit(vm)).toEqual(['2,3', '3,3', '2,4']);
    expect(vm.v[15]).toBe(0);
    vm.step();
    expect(lit(vm)).toEqual([]);
    expect(vm.v[15]).toBe(1);
    vm.step();
    expect(vm.v[15]).toBe(0);
    vm.step();
    expect(lit(vm)).toEqual([]);
  });

  it('the start position wraps; pixels past the edge are clipped (chip8) or wrap (xo-chip)', () => {
    const ops = [0xa300, 0x6046, 0x611f, 0xd012]; // x = 70 -> 6, y = 31
    const c = machine(ops);
    c.memory.set([0xff, 0xff], 0x300);
    steps(c, 4);
    expect(lit(c)).toEqual(['6,31', '7,31', '8,31', '9,31', '10,31', '11,31', '12,31', '13,31']);
    const ops2 = [0xa300, 0x603c, 0x611f, 0xd012]; // x = 60, y = 31
    const clip = machine(ops2);
    clip.memory.set([0xff, 0xff], 0x300);
    steps(clip, 4);
    expect(lit(clip)).toEqual(['60,31', '61,31', '62,31', '63,31']);
    const wrap = machine(ops2, { profile: 'xo-chip' });
    wrap.memory.set([0xff, 0xff], 0x300);
    steps(wrap, 4);
    expect(lit(wrap).sort()).toEqual(
      ['0,0', '1,0', '2,0', '3,0', '60,0', '61,0', '62,0', '63,0', '0,31', '1,31', '2,31', '3,31', '60,31', '61,31', '62,31', '63,31'].sort(),
    );
  });

  it('display wait: on chip8 a draw ends the frame; on schip-modern it does not', () => {
    // loop: 7001 (count), d000 draws nothing much but counts as a draw, jump
    const ops = [0xa300, 0x7001, 0xd011, 0x1202];
    const c = machine(ops, { tickRate: 20 });
    c.runFrame();
    expect(c.v[0]).toBe(1);
    expect(c.pc).toBe(0x206);
    c.runFrame();
    expect(c.v[0]).toBe(2);
    const s = machine(ops, { profile: 'schip-modern', tickRate: 20 });
    s.runFrame();
    expect(s.cycles).toBe(20);
    expect(s.v[0]).toBe(7);
    // legacy: only in lores
    const l = machine(ops, { profile: 'schip-legacy', tickRate: 20 });
    l.runFrame();
    expect(l.v[0]).toBe(1);
    const lh = machine([0x00ff, ...ops], { profile: 'schip-legacy', tickRate: 21 });
    lh.runFrame();
    expect(lh.v[0]).toBe(5); // 00FF, then 5 loops of 4 instructions
  });

  it('single quirk flags override the profile (clip off on chip8 wraps)', () => {
    const vm = machine([0xa300, 0x603e, 0x6100, 0xd011], { quirks: { clip: false } });
    vm.memory[0x300] = 0xe0; // pixels at 62, 63, 64 -> 0
    steps(vm, 4);
    expect(lit(vm)).toEqual(['0,0', '62,0', '63,0']);
    expect(vm.quirks.vfReset).toBe(true);
  });

  it('Dxy0 draws nothing on chip8', () => {
    const vm = machine([0xa300, 0xd000]);
    vm.memory.fill(0xff, 0x300, 0x320);
    steps(vm, 2);
    expect(lit(vm)).toEqual([]);
  });
});

describe('Chip8 keys and timers', () => {
  it('Ex9E skips when key VX is held, ExA1 when it is not', () => {
    const vm = machine([0x6005, 0xe09e, 0x0000, 0xe0a1]);
    vm.setKeys(1 << 5);
    steps(vm, 2);
    expect(vm.pc).toBe(0x206);
    vm.step(); // ExA1: key held, no skip
    expect(vm.pc).toBe(0x208);
    const b = machine([0x6005, 0xe09e, 0xe0a1]);
    b.setKeys(1 << 4);
    steps(b, 2);
    expect(b.pc).toBe(0x204);
    b.step();
    expect(b.pc).toBe(0x208);
  });

  it('Fx0A waits for a press and a release, timers keep running', () => {
    const vm = machine([0x6f30, 0xff15, 0xf30a, 0x1206], { tickRate: 10 });
    vm.runFrame();
    expect(vm.pc).toBe(0x204);
    expect(vm.waitingForKey).toBe(true);
    expect(vm.delayTimer).toBe(0x2f);
    vm.setKeys((1 << 0xb) | (1 << 0xc));
    vm.runFrame();
    expect(vm.pc).toBe(0x204);
    vm.setKeys(1 << 0xc); // key B released
    vm.runFrame();
    expect(vm.waitingForKey).toBe(false);
    expect(vm.v[3]).toBe(0xb);
    expect(vm.pc).toBe(0x206);
  });

  it('Fx0A under step(): the PC stays on the instruction until the key is released', () => {
    const vm = machine([0xf50a, 0x6001]);
    vm.step();
    vm.step();
    expect(vm.pc).toBe(0x200);
    vm.setKeys(1 << 2);
    vm.step();
    expect(vm.pc).toBe(0x200);
    vm.setKeys(0);
    vm.step();
    expect([vm.pc, vm.v[5]]).toEqual([0x202, 2]);
  });

  it('Fx15/Fx18/Fx07: timers count down once per frame, not per instruction', () => {
    const vm = machine([0x6005, 0xf015, 0xf018, 0x1206, 0xf107], { tickRate: 7 });
    vm.runFrame();
    expect([vm.delayTimer, vm.soundTimer]).toEqual([4, 4]);
    for (let k = 0; k < 10; k++) vm.runFrame();
    expect([vm.delayTimer, vm.soundTimer]).toEqual([0, 0]);
    const r = machine([0x6009, 0xf015, 0xf107]);
    steps(r, 3);
    expect(r.v[1]).toBe(9);
  });

  it('runFrame runs tickRate instructions', () => {
    const vm = machine([0x7001, 0x1200], { tickRate: 30 });
    vm.runFrame();
    expect(vm.cycles).toBe(30);
    expect(vm.v[0]).toBe(15);
    vm.tickRate = 10;
    vm.runFrame();
    expect(vm.cycles).toBe(40);
  });
});

describe('SUPER-CHIP', () => {
  const schip = (ops: number[], profile: 'schip-modern' | 'schip-legacy' = 'schip-modern') => machine(ops, { profile });

  it('00FF / 00FE switch resolution and clear the screen', () => {
    const vm = schip([0x00ff, 0xa300, 0xd001, 0x00fe]);
    vm.memory[0x300] = 0x80;
    vm.step();
    expect([vm.width, vm.height, vm.framebuffer.length]).toEqual([128, 64, 8192]);
    steps(vm, 2);
    expect(lit(vm)).toEqual(['0,0']);
    vm.step();
    expect([vm.width, vm.height, vm.framebuffer.length]).toEqual([64, 32, 2048]);
    expect(lit(vm)).toEqual([]);
  });

  it('hires draws at 128x64 and wraps the start position at 128/64', () => {
    const vm = schip([0x00ff, 0xa300, 0x6085, 0x6142, 0xd011]); // x = 133 -> 5, y = 66 -> 2
    vm.memory[0x300] = 0x80;
    steps(vm, 5);
    expect(lit(vm)).toEqual(['5,2']);
  });

  it('Dxy0 draws a 16x16 sprite (32 bytes, two per row) with collision', () => {
    const vm = schip([0x00ff, 0xa300, 0x6078, 0x613c, 0xd010, 0xd010]);
    for (let r = 0; r < 16; r++) vm.memory.set([0x80, 0x01], 0x300 + 2 * r); // left and right columns
    steps(vm, 5);
    // x 120..135 clipped at 127, y 60..75 clipped at 63: only column x = 120 in rows 60..63
    expect(lit(vm)).toEqual(['120,60', '120,61', '120,62', '120,63']);
    expect(vm.v[15]).toBe(0);
    const full = schip([0x00ff, 0xa300, 0xd010, 0xd010]);
    for (let r = 0; r < 16; r++) full.memory.set([0x80, 0x01], 0x300 + 2 * r);
    steps(full, 3);
    expect(lit(full).length).toBe(32);
    expect(lit(full)).toContain('15,15');
    full.step();
    expect(lit(full)).toEqual([]);
    expect(full.v[15]).toBe(1);
  });

  it('legacy hires collision counts colliding rows plus rows clipped at the bottom', () => {
    const vm = schip([0x00ff, 0xa300, 0x613e, 0xd013, 0xd013], 'schip-legacy'); // y = 62: one row clipped
    vm.memory.set([0x80, 0x80, 0x80], 0x300);
    steps(vm, 4);
    expect(vm.v[15]).toBe(1); // no collision, one clipped row
    vm.step();
    expect(vm.v[15]).toBe(3); // two rows collided + one clipped
  });

  it('legacy lores Dxy0 draws 8x16; modern lores draws 16x16', () => {
    const ops = [0xa300, 0xd000];
    const fill = (vm: Chip8) => vm.memory.fill(0xff, 0x300, 0x320);
    const l = schip(ops, 'schip-legacy');
    fill(l);
    steps(l, 2);
    expect(lit(l).length).toBe(8 * 16);
    const m = schip(ops);
    fill(m);
    steps(m, 2);
    expect(lit(m).length).toBe(16 * 16);
  });

  it('00Cn scrolls down, 00FB right by 4, 00FC left by 4', () => {
    const vm = schip([0x00ff, 0xa300, 0x600a, 0x6105, 0xd011, 0x00c3, 0x00fb, 0x00fc, 0x00fc]);
    vm.memory[0x300] = 0x80;
    steps(vm, 5);
    expect(lit(vm)).toEqual(['10,5']);
    vm.step();
    expect(lit(vm)).toEqual(['10,8']);
    vm.step();
    expect(lit(vm)).toEqual(['14,8']);
    steps(vm, 2);
    expect(lit(vm)).toEqual(['6,8']);
  });

  it('pixels scrolled off the screen are lost', () => {
    const vm = schip([0xa300, 0x603e, 0xd011, 0x00fb, 0x00fc]);
    vm.memory[0x300] = 0xc0; // pixels at 62, 63
    steps(vm, 4);
    expect(lit(vm)).toEqual([]);
  });

  it('legacy lores scrolls by half a low-res pixel (rounded down)', () => {
    const vm = schip([0xa300, 0x600a, 0x6105, 0xd011, 0x00c4, 0x00fb], 'schip-legacy');
    vm.memory[0x300] = 0x80;
    steps(vm, 6);
    expect(lit(vm)).toEqual(['12,7']);
  });

  it('Fx75 / Fx85 save and restore V0..VX in the RPL flags', () => {
    const vm = schip([0x6011, 0x6122, 0x6233, 0xf275, 0x6000, 0x6100, 0x6200, 0xf185]);
    steps(vm, 8);
    expect(Array.from(vm.v.subarray(0, 3))).toEqual([0x11, 0x22, 0]);
    expect(Array.from(vm.rpl.subarray(0, 3))).toEqual([0x11, 0x22, 0x33]);
    expect(() => steps(schip([0xf875]), 1)).toThrow(/unknown opcode 0xF875 at address 0x0200/);
  });

  it('Fx30 points at a 10-byte big digit that draws 8x10', () => {
    const vm = schip([0x00ff, 0x6008, 0xf030, 0x6100, 0xd11a]);
    steps(vm, 5);
    // "8" is 16 lit pixels at 4x5, each doubled both ways
    expect(lit(vm).length).toBe(64);
    expect(lit(vm).slice(0, 8)).toEqual(['0,0', '1,0', '2,0', '3,0', '4,0', '5,0', '6,0', '7,0']);
    expect(lit(vm)).toContain('7,9');
    expect(lit(vm)).not.toContain('0,10');
  });

  it('00FD exits: the machine halts and frames only tick timers', () => {
    const vm = schip([0x6005, 0xf015, 0x00fd, 0x7001]);
    vm.runFrame();
    expect(vm.halted).toBe(true);
    expect(vm.pc).toBe(0x204);
    expect(vm.delayTimer).toBe(4);
    vm.runFrame();
    expect(vm.v[0]).toBe(5);
    expect(vm.delayTimer).toBe(3);
  });

  it('SUPER-CHIP opcodes are unknown on the chip8 profile', () => {
    for (const op of [0x00ff, 0x00fe, 0x00fb, 0x00fc, 0x00c1, 0x00fd, 0xf030, 0xf075, 0xf085]) {
      expect(() => machine([op]).step()).toThrow(Chip8Error);
    }
  });
});

describe('XO-CHIP (stretch)', () => {
  it('has 64 KiB, F000 nnnn long I (skipped as one instruction), 5xy2/5xy3, 00Dn scroll up', () => {
    const vm = machine([0x6001, 0x3001, 0xf000, 0x1234, 0xf000, 0xabcd], { profile: 'xo-chip' });
    expect(vm.memory.length).toBe(65536);
    steps(vm, 2);
    expect(vm.pc).toBe(0x208);
    vm.step();
    expect(vm.i).toBe(0xabcd);
    expect(vm.pc).toBe(0x20c);
    const r = machine([0x6011, 0x6122, 0x6233, 0xa300, 0x5202, 0x6000, 0x6200, 0x5023], { profile: 'xo-chip' });
    steps(r, 5);
    expect(Array.from(r.memory.subarray(0x300, 0x303))).toEqual([0x33, 0x22, 0x11]);
    steps(r, 3);
    expect(Array.from(r.v.subarray(0, 4))).toEqual([0x33, 0x22, 0x11, 0]);
    const s = machine([0xa300, 0x600a, 0x6105, 0xd011, 0x00d2], { profile: 'xo-chip' });
    s.memory[0x300] = 0x80;
    steps(s, 5);
    expect(lit(s)).toEqual(['10,3']);
  });

  it('Fn01 selects planes: a draw on planes 1+2 reads two sprites and pixels carry plane bits', () => {
    const vm = machine([0xf301, 0xa300, 0xd001, 0xf201, 0x00e0], { profile: 'xo-chip' });
    vm.memory.set([0xc0, 0x60], 0x300);
    steps(vm, 3);
    expect(Array.from(vm.framebuffer.subarray(0, 3))).toEqual([1, 3, 2]);
    steps(vm, 2);
    expect(Array.from(vm.framebuffer.subarray(0, 3))).toEqual([1, 1, 0]);
  });
});

describe('Chip8 state', () => {
  it('cloneState / restoreState: identical continuation, including the RNG', () => {
    // a loop that draws random sprites and keeps state in registers, memory and timers
    const ops = [0x00e0, 0xc0ff, 0xc13f, 0xc21f, 0xa300, 0xf033, 0xd125, 0xf015, 0x2214, 0x1202, 0x7301, 0x00ee];
    const vm = machine(ops, { seed: 42, tickRate: 9 });
    for (let k = 0; k < 10; k++) vm.runFrame();
    const state = vm.cloneState();
    const run = () => {
      const frames: string[] = [];
      for (let k = 0; k < 20; k++) {
        vm.runFrame();
        frames.push(`${Array.from(vm.v)}|${vm.i}|${vm.pc}|${vm.delayTimer}|${Buffer.from(vm.framebuffer).toString('base64')}`);
      }
      return frames;
    };
    const first = run();
    vm.restoreState(state);
    expect(run()).toEqual(first);
    // a fresh machine restored from the state continues the same way
    const other = new Chip8({ seed: 1, tickRate: 3 });
    other.restoreState(state);
    const frames: string[] = [];
    for (let k = 0; k < 20; k++) {
      other.runFrame();
      frames.push(`${Array.from(other.v)}|${other.i}|${other.pc}|${other.delayTimer}|${Buffer.from(other.framebuffer).toString('base64')}`);
    }
    expect(frames).toEqual(first);
    // the state is a copy
    expect(state.memory).not.toBe(vm.memory);
    expect(() => new Chip8({ profile: 'xo-chip' }).restoreState(state)).toThrow(InvalidInputError);
  });

  it('memory is writable after load and before running', () => {
    const vm = machine([0x1300]);
    vm.memory.set([0x6a, 0x2a, 0x13, 0x02], 0x300);
    steps(vm, 3);
    expect(vm.v[0xa]).toBe(0x2a);
    expect(vm.pc).toBe(0x302);
  });

  it('reset brings back the loaded program and clears registers and screen', () => {
    const vm = machine([0x6a07, 0xa300, 0xd001, 0x1206]);
    vm.memory[0x300] = 0x80;
    vm.runFrame();
    vm.reset();
    expect(vm.pc).toBe(0x200);
    expect(vm.v[0xa]).toBe(0);
    expect(lit(vm)).toEqual([]);
    expect(vm.memory[0x200]).toBe(0x6a);
  });
});

describe('Chip8 errors', () => {
  it('rejects an empty ROM and one larger than memory', () => {
    expect(() => new Chip8().load(new Uint8Array(0))).toThrow(InvalidInputError);
    expect(() => new Chip8().load(new Uint8Array(0))).toThrow(/empty/);
    expect(() => new Chip8().load(new Uint8Array(4096 - 0x200 + 1))).toThrow(/3585 bytes, larger than the 3584 bytes/);
    expect(() => new Chip8().load(new Uint8Array(4096 - 0x200))).not.toThrow();
    expect(() => new Chip8({ profile: 'xo-chip' }).load(new Uint8Array(5000))).not.toThrow();
  });

  it('unknown opcodes name the opcode and the address', () => {
    const vm = machine([0x6000, 0x5121]);
    vm.step();
    expect(() => vm.step()).toThrow('Chip8: unknown opcode 0x5121 at address 0x0202 (profile chip8)');
    expect(() => machine([0x8008]).step()).toThrow(/0x8008 at address 0x0200/);
    expect(() => machine([0xe0ff]).step()).toThrow(/0xE0FF/);
    expect(() => machine([0xf0ff]).step()).toThrow(/0xF0FF/);
    expect(() => machine([0x0123]).step()).toThrow(/0x0123/);
  });

  it('stack overflow and underflow name the address', () => {
    const vm = machine([0x2200]);
    expect(() => steps(vm, 17)).toThrow(/stack overflow at 0x0200/);
    expect(() => machine([0x00ee]).step()).toThrow(/stack underflow at 0x0200/);
  });

  it('a PC that runs off memory is an error', () => {
    const vm = machine([0x1fff]);
    vm.step();
    expect(() => vm.step()).toThrow(/ran off memory at 0x0FFF/);
    const b = machine([0x1ffe]);
    b.memory.set([0x60, 0x01], 0xffe);
    steps(b, 2);
    expect(() => b.step()).toThrow(/ran off memory at 0x1000/);
  });

  it('rejects a bad profile and tick rate', () => {
    expect(() => new Chip8({ profile: 'vip' as never })).toThrow(/unknown profile "vip"/);
    expect(() => new Chip8({ tickRate: 0 })).toThrow(/tickRate/);
  });
});
