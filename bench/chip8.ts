/**
 * Raw speed of the CHIP-8 machine on one core, for hand-assembled ROMs:
 * - `busy loop`: register arithmetic, a skip and a jump (no drawing);
 * - `sprite loop`: draws a 5-row sprite at moving positions every fourth instruction (profile schip-modern, so no
 *   display wait ends the frame early).
 * Prints instructions/s through `step()` and through `runFrame()` (tick rate 1000 and 15), and frames/s.
 *
 *   npx tsx bench/chip8.ts [--seconds 1] [--json]
 *
 * Goal (issue 6): >= 100 million instructions/s.
 */
import { parseArgs } from 'node:util';
import { Chip8, type Chip8Profile } from '../envs/rom/chip8/index.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, received ${values.seconds}`);

const rom = (...ops: number[]): Uint8Array => Uint8Array.from(ops.flatMap((o) => [o >> 8, o & 0xff]));

const ROMS: Record<string, { profile: Chip8Profile; rom: Uint8Array }> = {
  // 200: V0 += 1; 202: V1 += V0 (carry); 204: V2 ^= V1; 206: skip if V0 == 0; 208: jump 200; 20A: V3 += 1; 20C: jump 200
  'busy loop': { profile: 'chip8', rom: rom(0x7001, 0x8104, 0x8213, 0x3000, 0x1200, 0x7301, 0x1200) },
  // 200: I = font; 202: draw V0,V1 5 rows; 204: V0 += 3; 206: V1 += 1; 208: jump 202
  'sprite loop': { profile: 'schip-modern', rom: rom(0xa050, 0xd015, 0x7003, 0x7101, 0x1202) },
};

interface Row {
  rom: string;
  mode: string;
  instructionsPerSecond: number;
  framesPerSecond: number | null;
}

function timeIt(fn: () => number): { count: number; secs: number } {
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < seconds * 1000) count += fn();
  return { count, secs: (performance.now() - start) / 1000 };
}

const rows: Row[] = [];
for (const [name, { profile, rom: bytes }] of Object.entries(ROMS)) {
  const vm = new Chip8({ profile, seed: 1 });
  vm.load(bytes);
  // warm up
  for (let k = 0; k < 2_000_000; k++) vm.step();

  const batch = 1_000_000;
  const s = timeIt(() => {
    for (let k = 0; k < batch; k++) vm.step();
    return batch;
  });
  rows.push({ rom: name, mode: 'step()', instructionsPerSecond: s.count / s.secs, framesPerSecond: null });

  for (const tick of [1000, 15]) {
    vm.tickRate = tick;
    const frames = Math.max(1, Math.floor(1_000_000 / tick));
    const before = vm.cycles;
    const f = timeIt(() => {
      for (let k = 0; k < frames; k++) vm.runFrame();
      return frames;
    });
    const instr = vm.cycles - before;
    rows.push({ rom: name, mode: `runFrame() tick ${tick}`, instructionsPerSecond: instr / f.secs, framesPerSecond: f.count / f.secs });
  }
}

if (values.json) console.log(JSON.stringify(rows, null, 2));
else {
  console.log(`Node ${process.version}, ${seconds}s per row`);
  for (const r of rows) {
    const ips = `${(r.instructionsPerSecond / 1e6).toFixed(1)}M instr/s`;
    const fps = r.framesPerSecond === null ? '' : `  ${Math.round(r.framesPerSecond).toLocaleString('en-US')} frames/s`;
    console.log(`${r.rom.padEnd(12)} ${r.mode.padEnd(22)} ${ips.padStart(16)}${fps}`);
  }
}
