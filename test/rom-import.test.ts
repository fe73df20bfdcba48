import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { envSpec, make, unregister } from '../core/index.ts';
import { NOOP, registerImportedRoms, romHome, romSha256, type GameSettings } from '../envs/rom/index.ts';
import { importRoms } from '../envs/rom/import-roms.ts';
import { expectInvalid } from './helpers/expect-invalid.ts';

/**
 * A made-up "game" built from bytes (the real ROMs are never in the repository): one loop iteration per frame,
 * synchronised on the delay timer; V0 counts frames and V1 (the score) goes up on each frame key 5 is held.
 */
// prettier-ignore
const FAKE = new Uint8Array([
  0x62, 0x01, 0x64, 0x05, // 200: V2 = 1; 202: V4 = 5
  0xf3, 0x07, 0x33, 0x00, // 204: V3 = DT; 206: skip if V3 == 0
  0x12, 0x04, 0xf2, 0x15, // 208: jump 204; 20A: DT = V2
  0x70, 0x01, 0xe4, 0xa1, // 20C: V0 += 1; 20E: skip if key 5 not held
  0x71, 0x01, 0x12, 0x04, // 210: V1 += 1; 212: jump 204
]);
const FAKE_SHA = romSha256(FAKE);
const FAKE_SETTINGS: GameSettings = {
  name: 'fakegame',
  sha256: FAKE_SHA,
  profile: 'chip8',
  tickRate: 20,
  actions: [NOOP, { name: 'SCORE', keys: [5] }],
  reward: (s, p) => s.v[1] - p.v[1],
  terminal: (s) => s.v[0] >= 50,
};

/** The module a user would pass with --games: plain settings, no imports needed. */
const GAMES_MODULE = `export const games = [{
  name: 'fakegame', sha256: '${FAKE_SHA}', profile: 'chip8', tickRate: 20,
  actions: [{ name: 'NOOP', keys: [] }, { name: 'SCORE', keys: [5] }],
  reward: (s, p) => s.v[1] - p.v[1], terminal: (s) => s.v[0] >= 50,
}];
`;

const temps: string[] = [];
const temp = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A source folder: the fake game twice (one in a sub-folder), an unknown ROM and a file that is no ROM. */
function sourceFolder(): string {
  const src = temp('rom-src-');
  mkdirSync(join(src, 'more'));
  writeFileSync(join(src, 'Fake Game (v1).ch8'), FAKE);
  writeFileSync(join(src, 'more', 'fake-copy.sc8'), FAKE);
  writeFileSync(join(src, 'unknown.ch8'), Uint8Array.of(0x12, 0x00));
  writeFileSync(join(src, 'notes.txt'), 'not a rom');
  return src;
}

describe('romHome', () => {
  const saved = process.env.ARCADE_RL_ROMS;
  afterEach(() => {
    if (saved === undefined) delete process.env.ARCADE_RL_ROMS;
    else process.env.ARCADE_RL_ROMS = saved;
  });

  it('is $ARCADE_RL_ROMS when set, else ~/.arcade-rl/roms', () => {
    process.env.ARCADE_RL_ROMS = '/tmp/some/roms';
    expect(romHome()).toBe('/tmp/some/roms');
    delete process.env.ARCADE_RL_ROMS;
    expect(romHome()).toBe(join(homedir(), '.arcade-rl', 'roms'));
  });

  it('registerImportedRoms registers nothing, without error, when the ROM home does not exist', () => {
    process.env.ARCADE_RL_ROMS = join(temp('rom-home-'), 'missing');
    expect(registerImportedRoms()).toEqual([]);
  });

  it('registerImportedRoms registers the games in the ROM home, with settings for games not built in', () => {
    const home = temp('rom-home-');
    process.env.ARCADE_RL_ROMS = home;
    importRoms(sourceFolder(), home, [FAKE_SETTINGS]);
    const got = registerImportedRoms({ games: [FAKE_SETTINGS] });
    try {
      expect(got).toEqual([{ id: 'Chip8-Fakegame-v0', name: 'fakegame', path: join(home, 'fakegame.ch8'), sha256: FAKE_SHA }]);
      expect(envSpec('Chip8-Fakegame-v0').kwargs).toMatchObject({ rom: join(home, 'fakegame.ch8') });
      const env = make('Chip8-Fakegame-v0', { repeatActionProbability: 0, resetFrames: 0 });
      env.reset({ seed: 0 });
      const r = env.step(1); // key 5 held for 4 frames: the score goes up 4
      expect(r.reward).toBe(4);
      env.close?.();
    } finally {
      unregister('Chip8-Fakegame-v0');
    }
  });
});

describe('importRoms', () => {
  it('copies the recognised game once, reports the duplicate and the unknown file, ignores non-ROM files', () => {
    const src = sourceFolder();
    const home = join(temp('rom-home-'), 'nested', 'roms');
    const got = importRoms(src, home, [FAKE_SETTINGS]);
    expect(got.map((r) => [r.file.slice(src.length + 1), r.status, r.id])).toEqual([
      ['Fake Game (v1).ch8', 'imported', 'Chip8-Fakegame-v0'],
      ['more/fake-copy.sc8', 'duplicate', 'Chip8-Fakegame-v0'],
      ['unknown.ch8', 'unknown', undefined],
    ]);
    expect(readdirSync(home)).toEqual(['fakegame.ch8']);
    expect(new Uint8Array(readFileSync(join(home, 'fakegame.ch8')))).toEqual(FAKE);
    // a second import finds it there
    expect(importRoms(src, home, [FAKE_SETTINGS])[0].status).toBe('already-imported');
  });

  it('without the settings the fake game is unknown, and nothing is created', () => {
    const home = join(temp('rom-home-'), 'roms');
    const got = importRoms(sourceFolder(), home);
    expect(got.every((r) => r.status === 'unknown')).toBe(true);
    expect(existsSync(home)).toBe(false);
  });

  it('rejects a missing folder and a game name that cannot be a file name', () => {
    expectInvalid(() => importRoms(join(tmpdir(), 'no-such-folder-for-roms'), temp('rom-home-')), /is not a folder/);
    expectInvalid(() => importRoms(sourceFolder(), temp('rom-home-'), [{ ...FAKE_SETTINGS, name: '../evil' }]), /cannot be a file name/);
  });
});

// Each CLI run starts a Node process that loads core (TF.js included): seconds each on a busy machine.
describe('import-roms CLI', { timeout: 120_000 }, () => {
  const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'envs/rom/import-roms.ts', ...args], { encoding: 'utf8', env });

  it('imports a ROM built from bytes into --to, prints a line per file and a summary', () => {
    const src = sourceFolder();
    const home = temp('rom-home-');
    const games = join(temp('rom-games-'), 'games.ts');
    writeFileSync(games, GAMES_MODULE);
    const first = cli([src, '--to', home, '--games', games]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout.trim().split('\n')).toEqual([
      `Fake Game (v1).ch8: imported as Chip8-Fakegame-v0 -> ${join(home, 'fakegame.ch8')}`,
      'more/fake-copy.sc8: duplicate of Chip8-Fakegame-v0, skipped',
      `unknown.ch8: unknown sha256 ${romSha256(Uint8Array.of(0x12, 0x00))}, skipped`,
      `3 ROM files: 1 imported, 0 already imported, 1 duplicates, 1 unknown; ROM home ${home}`,
    ]);
    expect(readdirSync(home)).toEqual(['fakegame.ch8']); // no temporary file left behind
    expect(new Uint8Array(readFileSync(join(home, 'fakegame.ch8')))).toEqual(FAKE);
  });

  it('defaults to $ARCADE_RL_ROMS; without --games the bytes are an unknown game', () => {
    const src = sourceFolder();
    const home = temp('rom-home-');
    const r = cli([src], { ...process.env, ARCADE_RL_ROMS: home });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Fake Game (v1).ch8: unknown sha256 ${FAKE_SHA}, skipped`);
    expect(r.stdout).toContain(`3 ROM files: 0 imported, 0 already imported, 0 duplicates, 3 unknown; ROM home ${home}`);
    expect(readdirSync(home)).toEqual([]);
  });

  it('names the problem for bad input', () => {
    const none = cli([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/expected one folder to import from, received 0/);
    const bad = join(temp('rom-games-'), 'bad.ts');
    writeFileSync(bad, 'export const games = [{ name: 3 }];\n');
    const badGames = cli([sourceFolder(), '--to', temp('rom-home-'), '--games', bad]);
    expect(badGames.status).toBe(1);
    expect(badGames.stderr).toMatch(/--games .*games\[0\]\.name/);
  });
});
