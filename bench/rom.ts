/**
 * Speed of the ROM envs (issue 6), on one core, for the project's own games:
 * - the machine alone: emulated CHIP-8 instructions per second running each game's real code through `step()`
 *   (keys changing every 1,000 instructions), and through `runFrame()` at the game's tick rate;
 * - the env: `RomEnv` steps per second with random actions at frame skip 4, tick rate 15, sticky actions 0.25,
 *   pixel (uint8) and RAM observations, episodes reset as they end.
 *
 *   npx tsx bench/rom.ts [--seconds 1] [--json]
 *
 * Goals: >= 100 million instructions/s; >= 100 thousand env steps/s at frame skip 4 and tick rate 15.
 * For scale: ALE runs Atari at about 6,000 frames/s per core. The synthetic micro-benchmark is bench/chip8.ts.
 */
import { parseArgs } from 'node:util';
import { Chip8, RomEnv } from '../envs/rom/index.ts';
import { OWN_GAMES, ownGameRom } from '../envs/rom/own/index.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, received ${values.seconds}`);

function timeIt(fn: () => number): { count: number; secs: number } {
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < seconds * 1000) count += fn();
  return { count, secs: (performance.now() - start) / 1000 };
}

interface Row {
  game: string;
  what: string;
  perSecond: number;
  unit: string;
}
const rows: Row[] = [];

for (const game of OWN_GAMES) {
  const rom = ownGameRom(game.name);
  const vm = new Chip8({ profile: game.profile, quirks: game.quirks, tickRate: game.tickRate, seed: 1 });
  vm.load(rom);
  let keys = 0;
  const batch = 1_000_000;
  const stepAll = (): number => {
    for (let k = 0; k < batch; k += 1000) {
      keys = (keys * 5 + 1) & 0xffff;
      vm.setKeys(keys);
      for (let j = 0; j < 1000; j++) vm.step();
    }
    return batch;
  };
  stepAll(); // warm up
  const s = timeIt(stepAll);
  rows.push({ game: game.name, what: 'machine step()', perSecond: s.count / s.secs, unit: 'instr/s' });

  vm.load(rom);
  const before = vm.cycles;
  const f = timeIt(() => {
    for (let k = 0; k < 10_000; k++) vm.runFrame();
    return 10_000;
  });
  rows.push({ game: game.name, what: `machine runFrame() tick ${game.tickRate}`, perSecond: (vm.cycles - before) / f.secs, unit: 'instr/s' });
  rows.push({ game: game.name, what: `machine runFrame() tick ${game.tickRate}`, perSecond: f.count / f.secs, unit: 'frames/s' });

  for (const observation of ['pixels', 'ram'] as const) {
    const env = new RomEnv({ rom, settings: { ...game, tickRate: 15 }, frameSkip: 4, repeatActionProbability: 0.25, observation });
    env.reset({ seed: 1 });
    env.actionSpace.seed(1);
    const run = (): number => {
      for (let k = 0; k < 10_000; k++) {
        const r = env.step(env.actionSpace.sample());
        if (r.terminated || r.truncated) env.reset();
      }
      return 10_000;
    };
    run();
    const e = timeIt(run);
    rows.push({ game: game.name, what: `env step, frame skip 4, tick 15, ${observation}`, perSecond: e.count / e.secs, unit: 'steps/s' });
  }
}

if (values.json) console.log(JSON.stringify(rows, null, 2));
else {
  console.log(`Node ${process.version}, ${seconds}s per row, one core`);
  for (const r of rows) {
    const v = r.perSecond >= 1e6 ? `${(r.perSecond / 1e6).toFixed(1)}M` : `${(r.perSecond / 1e3).toFixed(1)}k`;
    console.log(`${r.game.padEnd(10)} ${r.what.padEnd(44)} ${v.padStart(8)} ${r.unit}`);
  }
}
