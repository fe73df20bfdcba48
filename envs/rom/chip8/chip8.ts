import { ArcadeError, InvalidInputError, Rng, type RngState } from '../../../core/index.ts';
import { BIG_FONT, BIG_FONT_ADDRESS, SMALL_FONT, SMALL_FONT_ADDRESS } from './font.ts';
import { CHIP8_PROFILES, QUIRK_PROFILES, type Chip8Profile, type Chip8Quirks } from './quirks.ts';

/** A program did something the machine cannot do: an unknown opcode, a stack overflow or underflow, a runaway PC. */
export class Chip8Error extends ArcadeError {}

/** Where programs are loaded and start. */
export const PROGRAM_START = 0x200;
/** Call stack depth (SUPER-CHIP and most modern interpreters: 16). */
export const STACK_DEPTH = 16;
/** The default instructions per 60 Hz frame. */
export const DEFAULT_TICK_RATE = 15;

export interface Chip8Options {
  /** Quirk profile (default `'chip8'`). */
  profile?: Chip8Profile;
  /** Single quirk flags overriding the profile's. */
  quirks?: Partial<Chip8Quirks>;
  /** Instructions per 60 Hz frame (default 15). */
  tickRate?: number;
  /** Seed of the RNG behind `Cxnn` (default 0). */
  seed?: number;
}

/** Everything needed to continue a machine exactly; typed arrays are copies. */
export interface Chip8State {
  readonly profile: Chip8Profile;
  readonly memory: Uint8Array;
  readonly v: Uint8Array;
  readonly i: number;
  readonly pc: number;
  readonly sp: number;
  readonly stack: Uint16Array;
  readonly delayTimer: number;
  readonly soundTimer: number;
  readonly hires: boolean;
  /** The whole 128x64 screen buffer (the low-res screen is its first 64*32 bytes). */
  readonly screen: Uint8Array;
  readonly planes: number;
  readonly halted: boolean;
  readonly keys: number;
  readonly waitRegister: number;
  readonly waitKey: number;
  readonly rpl: Uint8Array;
  readonly audioPattern: Uint8Array;
  readonly pitch: number;
  readonly tickRate: number;
  readonly cycles: number;
  readonly frames: number;
  readonly rng: RngState;
}

const hex = (n: number, digits: number): string => '0x' + n.toString(16).toUpperCase().padStart(digits, '0');

/**
 * A CHIP-8 / SUPER-CHIP interpreter (with the XO-CHIP opcodes as a stretch), one instruction per `step()`.
 * All state lives in typed arrays and number fields: no allocation per instruction.
 */
export class Chip8 {
  readonly profile: Chip8Profile;
  readonly quirks: Readonly<Chip8Quirks>;
  /** 4 KiB (64 KiB with XO-CHIP). Writable between `load` and running. */
  readonly memory: Uint8Array;
  /** V0..VF. */
  readonly v = new Uint8Array(16);
  /** Return addresses. */
  readonly stack = new Uint16Array(STACK_DEPTH);
  /** SUPER-CHIP RPL user flags (`Fx75`/`Fx85`). */
  readonly rpl = new Uint8Array(16);
  /** XO-CHIP audio pattern buffer (`F002`); kept for completeness, the machine makes no sound. */
  readonly audioPattern = new Uint8Array(16);
  i = 0;
  pc = PROGRAM_START;
  sp = 0;
  delayTimer = 0;
  soundTimer = 0;
  /** XO-CHIP pitch register (`Fx3A`). */
  pitch = 64;
  /** Instructions per `runFrame`. */
  tickRate: number;
  /** SUPER-CHIP high-resolution mode (128x64). */
  hires = false;
  /** XO-CHIP plane mask (`Fn01`); 1 outside XO-CHIP. */
  planes = 1;
  /** Set by `00FD` (exit): `step` then does nothing. */
  halted = false;
  /** Keys held, bit k = key k. */
  keys = 0;
  /** Instructions executed since load/reset. */
  cycles = 0;
  /** Frames run since load/reset. */
  frames = 0;

  /** `Fx0A` in progress: the target register, or -1. */
  private waitRegister = -1;
  /** `Fx0A` in progress: the key seen pressed (waiting for its release), or -1. */
  private waitKey = -1;
  /** Set inside a frame to end its instruction loop early (display wait, key wait, exit). */
  private frameBreak = false;
  private readonly screen = new Uint8Array(128 * 64);
  private readonly loresView: Uint8Array;
  private readonly memMask: number;
  private readonly ext: number; // 0 chip8, 1 schip, 2 xo-chip
  private readonly rng: Rng;
  private rom: Uint8Array = new Uint8Array(0);

  constructor(options: Chip8Options = {}) {
    const profile = options.profile ?? 'chip8';
    if (!CHIP8_PROFILES.includes(profile)) {
      throw new InvalidInputError(`Chip8: unknown profile ${JSON.stringify(profile)}, expected one of ${CHIP8_PROFILES.join(', ')}`);
    }
    this.profile = profile;
    this.quirks = Object.freeze({ ...QUIRK_PROFILES[profile], ...(options.quirks ?? {}) });
    this.ext = this.quirks.extensions === 'chip8' ? 0 : this.quirks.extensions === 'schip' ? 1 : 2;
    this.memory = new Uint8Array(this.ext === 2 ? 0x10000 : 0x1000);
    this.memMask = this.memory.length - 1;
    this.loresView = this.screen.subarray(0, 64 * 32);
    const tickRate = options.tickRate ?? DEFAULT_TICK_RATE;
    if (!Number.isInteger(tickRate) || tickRate < 1) {
      throw new InvalidInputError(`Chip8: tickRate must be a positive integer, received ${tickRate}`);
    }
    this.tickRate = tickRate;
    this.rng = new Rng(options.seed ?? 0);
    this.reset();
  }

  /** Screen width in pixels: 64, or 128 in high-res. */
  get width(): number {
    return this.hires ? 128 : 64;
  }

  /** Screen height in pixels: 32, or 64 in high-res. */
  get height(): number {
    return this.hires ? 64 : 32;
  }

  /** The screen, one byte per pixel (0/1; XO-CHIP: plane bits 0..3), row-major, `width * height` bytes. A view, not a copy. */
  get framebuffer(): Uint8Array {
    return this.hires ? this.screen : this.loresView;
  }

  /** True while `Fx0A` is waiting for a key press and release. */
  get waitingForKey(): boolean {
    return this.waitRegister >= 0;
  }

  /** Restarts the `Cxnn` random stream from `seed`. */
  seed(seed: number): void {
    this.rng.reseed(seed);
  }

  /** Loads a program at 0x200 and resets the machine (the RNG stream is kept). */
  load(rom: Uint8Array): void {
    if (!(rom instanceof Uint8Array)) throw new InvalidInputError('Chip8.load: the ROM must be a Uint8Array');
    if (rom.length === 0) throw new InvalidInputError('Chip8.load: the ROM is empty (0 bytes)');
    const room = this.memory.length - PROGRAM_START;
    if (rom.length > room) {
      throw new InvalidInputError(
        `Chip8.load: the ROM is ${rom.length} bytes, larger than the ${room} bytes of memory from 0x200 (profile ${this.profile})`,
      );
    }
    this.rom = rom.slice();
    this.reset();
  }

  /** Back to the state right after `load`: memory holds the fonts and the ROM, registers, screen and timers cleared. */
  reset(): void {
    this.memory.fill(0);
    this.memory.set(SMALL_FONT, SMALL_FONT_ADDRESS);
    this.memory.set(BIG_FONT, BIG_FONT_ADDRESS);
    this.memory.set(this.rom, PROGRAM_START);
    this.v.fill(0);
    this.stack.fill(0);
    this.rpl.fill(0);
    this.audioPattern.fill(0);
    this.screen.fill(0);
    this.i = 0;
    this.pc = PROGRAM_START;
    this.sp = 0;
    this.delayTimer = 0;
    this.soundTimer = 0;
    this.pitch = 64;
    this.hires = false;
    this.planes = 1;
    this.halted = false;
    this.keys = 0;
    this.waitRegister = -1;
    this.waitKey = -1;
    this.frameBreak = false;
    this.cycles = 0;
    this.frames = 0;
  }

  /** Sets the keys held: bit k = key k (0..F). */
  setKeys(mask: number): void {
    this.keys = mask & 0xffff;
  }

  /** One 60 Hz frame: up to `tickRate` instructions (fewer after a draw under display wait, or while `Fx0A` waits), then the timers. */
  runFrame(): void {
    this.frameBreak = false;
    const n = this.tickRate;
    for (let k = 0; k < n; k++) {
      this.step();
      if (this.frameBreak) break;
    }
    if (this.delayTimer > 0) this.delayTimer--;
    if (this.soundTimer > 0) this.soundTimer--;
    this.frames++;
  }

  /** Executes one instruction (nothing once halted by `00FD`). */
  step(): void {
    if (this.halted) {
      this.frameBreak = true;
      return;
    }
    const mem = this.memory;
    const pc = this.pc;
    if (pc > mem.length - 2) {
      throw new Chip8Error(`Chip8: the program counter ran off memory at ${hex(pc, 4)} (memory ends at ${hex(mem.length - 1, 4)})`);
    }
    const op = (mem[pc] << 8) | mem[pc + 1];
    this.pc = pc + 2;
    this.cycles++;
    const v = this.v;
    const x = (op >> 8) & 0xf;
    const y = (op >> 4) & 0xf;
    const nn = op & 0xff;
    const nnn = op & 0xfff;
    switch (op >> 12) {
      case 0x0:
        this.op0(op, pc);
        return;
      case 0x1:
        this.pc = nnn;
        return;
      case 0x2:
        if (this.sp >= STACK_DEPTH) {
          throw new Chip8Error(`Chip8: stack overflow at ${hex(pc, 4)}: call ${hex(op, 4)} with ${STACK_DEPTH} return addresses already on the stack`);
        }
        this.stack[this.sp++] = this.pc;
        this.pc = nnn;
        return;
      case 0x3:
        if (v[x] === nn) this.skip();
        return;
      case 0x4:
        if (v[x] !== nn) this.skip();
        return;
      case 0x5:
        if ((op & 0xf) === 0) {
          if (v[x] === v[y]) this.skip();
        } else if (this.ext === 2 && (op & 0xf) === 2) {
          // 5xy2: save vx..vy at I (either order), I unchanged.
          const d = x <= y ? 1 : -1;
          for (let r = x, a = this.i; ; r += d, a++) {
            mem[a & this.memMask] = v[r];
            if (r === y) break;
          }
        } else if (this.ext === 2 && (op & 0xf) === 3) {
          const d = x <= y ? 1 : -1;
          for (let r = x, a = this.i; ; r += d, a++) {
            v[r] = mem[a & this.memMask];
            if (r === y) break;
          }
        } else this.unknown(op, pc);
        return;
      case 0x6:
        v[x] = nn;
        return;
      case 0x7:
        v[x] = v[x] + nn;
        return;
      case 0x8:
        this.op8(op, x, y, pc);
        return;
      case 0x9:
        if ((op & 0xf) !== 0) this.unknown(op, pc);
        if (v[x] !== v[y]) this.skip();
        return;
      case 0xa:
        this.i = nnn;
        return;
      case 0xb:
        this.pc = (nnn + (this.quirks.jumpVx ? v[x] : v[0])) & 0xffff;
        return;
      case 0xc:
        v[x] = this.rng.int(256) & nn;
        return;
      case 0xd:
        this.draw(v[x], v[y], op & 0xf);
        return;
      case 0xe:
        if (nn === 0x9e) {
          if ((this.keys >> (v[x] & 0xf)) & 1) this.skip();
        } else if (nn === 0xa1) {
          if (!((this.keys >> (v[x] & 0xf)) & 1)) this.skip();
        } else this.unknown(op, pc);
        return;
      default:
        this.opF(op, x, nn, pc);
        return;
    }
  }

  /** Skips the next instruction (XO-CHIP: the 4-byte `F000 nnnn` counts as one). */
  private skip(): void {
    if (this.ext === 2 && this.memory[this.pc & this.memMask] === 0xf0 && this.memory[(this.pc + 1) & this.memMask] === 0x00) {
      this.pc += 4;
    } else this.pc += 2;
  }

  private unknown(op: number, pc: number): never {
    throw new Chip8Error(`Chip8: unknown opcode ${hex(op, 4)} at address ${hex(pc, 4)} (profile ${this.profile})`);
  }

  private op0(op: number, pc: number): void {
    if (op === 0x00e0) {
      this.clear();
      return;
    }
    if (op === 0x00ee) {
      if (this.sp === 0) throw new Chip8Error(`Chip8: stack underflow at ${hex(pc, 4)}: return (00EE) with an empty stack`);
      this.pc = this.stack[--this.sp];
      return;
    }
    if (this.ext >= 1) {
      const legacyLores = this.quirks.legacySchip && !this.hires;
      if ((op & 0xfff0) === 0x00c0) {
        this.scrollVertical(legacyLores ? (op & 0xf) >> 1 : op & 0xf);
        return;
      }
      if (this.ext === 2 && (op & 0xfff0) === 0x00d0) {
        this.scrollVertical(-(op & 0xf));
        return;
      }
      switch (op) {
        case 0x00fb:
          this.scrollHorizontal(legacyLores ? 2 : 4);
          return;
        case 0x00fc:
          this.scrollHorizontal(legacyLores ? -2 : -4);
          return;
        case 0x00fd:
          this.halted = true;
          this.frameBreak = true;
          this.pc = pc;
          return;
        case 0x00fe:
          this.hires = false;
          this.screen.fill(0);
          return;
        case 0x00ff:
          this.hires = true;
          this.screen.fill(0);
          return;
      }
    }
    this.unknown(op, pc);
  }

  private op8(op: number, x: number, y: number, pc: number): void {
    const v = this.v;
    switch (op & 0xf) {
      case 0x0:
        v[x] = v[y];
        return;
      case 0x1:
        v[x] |= v[y];
        if (this.quirks.vfReset) v[15] = 0;
        return;
      case 0x2:
        v[x] &= v[y];
        if (this.quirks.vfReset) v[15] = 0;
        return;
      case 0x3:
        v[x] ^= v[y];
        if (this.quirks.vfReset) v[15] = 0;
        return;
      case 0x4: {
        const s = v[x] + v[y];
        v[x] = s;
        v[15] = s > 0xff ? 1 : 0;
        return;
      }
      case 0x5: {
        const f = v[x] >= v[y] ? 1 : 0;
        v[x] = v[x] - v[y];
        v[15] = f;
        return;
      }
      case 0x6: {
        const src = this.quirks.shiftVx ? v[x] : v[y];
        v[x] = src >> 1;
        v[15] = src & 1;
        return;
      }
      case 0x7: {
        const f = v[y] >= v[x] ? 1 : 0;
        v[x] = v[y] - v[x];
        v[15] = f;
        return;
      }
      case 0xe: {
        const src = this.quirks.shiftVx ? v[x] : v[y];
        v[x] = src << 1;
        v[15] = src >> 7;
        return;
      }
      default:
        this.unknown(op, pc);
    }
  }

  private opF(op: number, x: number, nn: number, pc: number): void {
    const v = this.v;
    const mem = this.memory;
    const mask = this.memMask;
    switch (nn) {
      case 0x07:
        v[x] = this.delayTimer;
        return;
      case 0x0a:
        this.waitForKey(x, pc);
        return;
      case 0x15:
        this.delayTimer = v[x];
        return;
      case 0x18:
        this.soundTimer = v[x];
        return;
      case 0x1e:
        this.i = (this.i + v[x]) & (this.ext === 2 ? 0xffff : 0xfff);
        return;
      case 0x29:
        this.i = SMALL_FONT_ADDRESS + (v[x] & 0xf) * 5;
        return;
      case 0x33: {
        const n = v[x];
        mem[this.i & mask] = (n / 100) | 0;
        mem[(this.i + 1) & mask] = ((n / 10) | 0) % 10;
        mem[(this.i + 2) & mask] = n % 10;
        return;
      }
      case 0x55:
        for (let r = 0; r <= x; r++) mem[(this.i + r) & mask] = v[r];
        this.bumpI(x);
        return;
      case 0x65:
        for (let r = 0; r <= x; r++) v[r] = mem[(this.i + r) & mask];
        this.bumpI(x);
        return;
    }
    if (this.ext >= 1) {
      switch (nn) {
        case 0x30:
          this.i = BIG_FONT_ADDRESS + (v[x] & 0xf) * 10;
          return;
        case 0x75:
          if (this.ext === 1 && x > 7) this.unknown(op, pc);
          for (let r = 0; r <= x; r++) this.rpl[r] = v[r];
          return;
        case 0x85:
          if (this.ext === 1 && x > 7) this.unknown(op, pc);
          for (let r = 0; r <= x; r++) v[r] = this.rpl[r];
          return;
      }
    }
    if (this.ext === 2) {
      if (op === 0xf000) {
        this.i = (mem[this.pc & mask] << 8) | mem[(this.pc + 1) & mask];
        this.pc += 2;
        return;
      }
      if (nn === 0x01) {
        this.planes = x & 3;
        return;
      }
      if (op === 0xf002) {
        for (let k = 0; k < 16; k++) this.audioPattern[k] = mem[(this.i + k) & mask];
        return;
      }
      if (nn === 0x3a) {
        this.pitch = v[x];
        return;
      }
    }
    this.unknown(op, pc);
  }

  private bumpI(x: number): void {
    const inc = this.quirks.loadStoreIncrement;
    if (inc === 'x+1') this.i = (this.i + x + 1) & 0xffff;
    else if (inc === 'x') this.i = (this.i + x) & 0xffff;
  }

  /** Fx0A: done once a key seen held during the wait is released; until then the PC stays on this instruction. */
  private waitForKey(x: number, pc: number): void {
    if (this.waitRegister < 0) {
      this.waitRegister = x;
      this.waitKey = -1;
    }
    const keys = this.keys;
    if (this.waitKey < 0 && keys !== 0) this.waitKey = 31 - Math.clz32(keys & -keys);
    if (this.waitKey >= 0 && !((keys >> this.waitKey) & 1)) {
      this.v[x] = this.waitKey;
      this.waitRegister = -1;
      this.waitKey = -1;
      return;
    }
    this.pc = pc;
    this.frameBreak = true;
  }

  private clear(): void {
    const fb = this.framebuffer;
    const keep = ~this.planes;
    if (this.planes === 1 && this.ext < 2) fb.fill(0);
    else for (let k = 0; k < fb.length; k++) fb[k] &= keep;
  }

  /** Scrolls the selected planes down by `n` rows (up when negative). */
  private scrollVertical(n: number): void {
    const fb = this.framebuffer;
    const w = this.width;
    const h = this.height;
    const m = this.planes;
    if (n > 0) {
      for (let y = h - 1; y >= 0; y--) {
        const sy = y - n;
        for (let x = 0; x < w; x++) {
          const src = sy >= 0 ? fb[sy * w + x] : 0;
          fb[y * w + x] = (fb[y * w + x] & ~m) | (src & m);
        }
      }
    } else if (n < 0) {
      for (let y = 0; y < h; y++) {
        const sy = y - n;
        for (let x = 0; x < w; x++) {
          const src = sy < h ? fb[sy * w + x] : 0;
          fb[y * w + x] = (fb[y * w + x] & ~m) | (src & m);
        }
      }
    }
  }

  /** Scrolls the selected planes right by `n` columns (left when negative). */
  private scrollHorizontal(n: number): void {
    const fb = this.framebuffer;
    const w = this.width;
    const h = this.height;
    const m = this.planes;
    for (let y = 0; y < h; y++) {
      const row = y * w;
      if (n > 0) {
        for (let x = w - 1; x >= 0; x--) {
          const src = x - n >= 0 ? fb[row + x - n] : 0;
          fb[row + x] = (fb[row + x] & ~m) | (src & m);
        }
      } else {
        for (let x = 0; x < w; x++) {
          const src = x - n < w ? fb[row + x - n] : 0;
          fb[row + x] = (fb[row + x] & ~m) | (src & m);
        }
      }
    }
  }

  /** Dxyn: XOR a sprite at (vx, vy); VF = 1 when a lit pixel is turned off (legacy SUPER-CHIP high-res: the count of such rows plus rows clipped at the bottom). */
  private draw(vx: number, vy: number, n: number): void {
    const q = this.quirks;
    const hires = this.hires;
    const w = hires ? 128 : 64;
    const h = hires ? 64 : 32;
    const fb = hires ? this.screen : this.loresView;
    let rows = n;
    let wide = false;
    if (n === 0) {
      if (this.ext === 0) rows = 0;
      else if (q.legacySchip && !hires) rows = 16;
      else {
        rows = 16;
        wide = true;
      }
    }
    const cols = wide ? 16 : 8;
    const x0 = vx % w;
    const y0 = vy % h;
    const clip = q.clip;
    const countRows = q.legacySchip && hires;
    const mem = this.memory;
    const mask = this.memMask;
    let addr = this.i;
    let hit = 0;
    let rowHits = 0;
    for (let plane = 1; plane <= 2; plane <<= 1) {
      if (!(this.planes & plane)) continue;
      for (let r = 0; r < rows; r++) {
        let py = y0 + r;
        let bits: number;
        if (wide) {
          bits = (mem[addr & mask] << 8) | mem[(addr + 1) & mask];
          addr += 2;
        } else {
          bits = mem[addr & mask] << 8;
          addr += 1;
        }
        if (py >= h) {
          if (clip) {
            if (countRows) rowHits++;
            continue;
          }
          py -= h;
        }
        let rowHit = 0;
        const row = py * w;
        for (let c = 0; c < cols; c++) {
          if (!(bits & (0x8000 >> c))) continue;
          let px = x0 + c;
          if (px >= w) {
            if (clip) break;
            px -= w;
          }
          const idx = row + px;
          const old = fb[idx];
          if (old & plane) rowHit = 1;
          fb[idx] = old ^ plane;
        }
        hit |= rowHit;
        rowHits += rowHit;
      }
    }
    this.v[15] = countRows ? rowHits : hit;
    const wait = q.displayWait;
    if (wait === 'on' || (wait === 'lores' && !hires)) this.frameBreak = true;
  }

  /** A deep copy of the whole machine state, including the RNG stream. */
  cloneState(): Chip8State {
    return {
      profile: this.profile,
      memory: this.memory.slice(),
      v: this.v.slice(),
      i: this.i,
      pc: this.pc,
      sp: this.sp,
      stack: this.stack.slice(),
      delayTimer: this.delayTimer,
      soundTimer: this.soundTimer,
      hires: this.hires,
      screen: this.screen.slice(),
      planes: this.planes,
      halted: this.halted,
      keys: this.keys,
      waitRegister: this.waitRegister,
      waitKey: this.waitKey,
      rpl: this.rpl.slice(),
      audioPattern: this.audioPattern.slice(),
      pitch: this.pitch,
      tickRate: this.tickRate,
      cycles: this.cycles,
      frames: this.frames,
      rng: this.rng.getState(),
    };
  }

  /** Puts back a state from `cloneState` (of a machine with the same profile); the state object is not kept. */
  restoreState(state: Chip8State): void {
    if (state.profile !== this.profile) {
      throw new InvalidInputError(`Chip8.restoreState: the state is from profile ${state.profile}, this machine runs ${this.profile}`);
    }
    if (state.memory.length !== this.memory.length || state.screen.length !== this.screen.length) {
      throw new InvalidInputError(
        `Chip8.restoreState: memory of ${state.memory.length} bytes and screen of ${state.screen.length} bytes, expected ${this.memory.length} and ${this.screen.length}`,
      );
    }
    this.memory.set(state.memory);
    this.v.set(state.v);
    this.stack.set(state.stack);
    this.screen.set(state.screen);
    this.rpl.set(state.rpl);
    this.audioPattern.set(state.audioPattern);
    this.i = state.i;
    this.pc = state.pc;
    this.sp = state.sp;
    this.delayTimer = state.delayTimer;
    this.soundTimer = state.soundTimer;
    this.hires = state.hires;
    this.planes = state.planes;
    this.halted = state.halted;
    this.keys = state.keys;
    this.waitRegister = state.waitRegister;
    this.waitKey = state.waitKey;
    this.pitch = state.pitch;
    this.tickRate = state.tickRate;
    this.cycles = state.cycles;
    this.frames = state.frames;
    this.frameBreak = false;
    this.rng.setState(state.rng);
  }
}
