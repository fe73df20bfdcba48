import { LEVEL_COUNT, shippedLevelText } from './levels.ts';
import { Platformer, type PlatformerObservationMode, type PlatformerOptions } from './platformer.ts';

/** One env the project registers: `register(id, { entryPoint, kwargs, maxEpisodeSteps })`. */
export interface PlatformerRegistration {
  readonly id: string;
  /** Builds the env from the registration's kwargs merged with the caller's (validated by `Platformer`). */
  readonly entryPoint: (kwargs: Record<string, unknown>) => Platformer<PlatformerObservationMode>;
  /** JSON-serialisable `Platformer` options; for shipped levels `level` is the full ASCII level, so a spec
   * describes the env by itself. */
  readonly kwargs: Readonly<PlatformerOptions>;
  /** For the registry's TimeLimit: the env itself never truncates. */
  readonly maxEpisodeSteps: number;
  readonly description: string;
}

const entryPoint = (kwargs: Record<string, unknown>): Platformer<PlatformerObservationMode> => new Platformer(kwargs as PlatformerOptions);

function record(id: string, kwargs: PlatformerOptions, maxEpisodeSteps: number, description: string): PlatformerRegistration {
  return Object.freeze({ id, entryPoint, kwargs: Object.freeze(kwargs), maxEpisodeSteps, description });
}

/**
 * Time limits: about 4-5x the steps the solver needed on the level (`solveLevel`, worst of several seeds; running
 * flat out takes 4 steps a tile): level 1 (50 wide) 1000, 2 (70) 1500, 3 (90) 2000, 4 (110) 2500, 5 (130) 3000;
 * procgen (80 wide) 1500.
 */
const LEVELS: ReadonlyArray<{ steps: number; description: string }> = [
  { steps: 1000, description: 'Level 1 (50x14): two 2-wide pits, one walker, 4 coins, a one-block step, the flag at the right end. Easy.' },
  { steps: 1500, description: 'Level 2 (70x14): four pits (one 3 wide), steps up and down, three walkers, a jumper, a shield, an optional platform, 14 coins.' },
  { steps: 2000, description: 'Level 3 (90x14): a one-way platform bridge over a 7-wide pit, a flyer, four walkers, two jumpers, a double jump, platform stairs.' },
  { steps: 2500, description: 'Level 4 (110x14): hills and stairs, 3-wide pits, two bridges, two flyers, five walkers, two jumpers, a shield, a double jump.' },
  { steps: 3000, description: 'Level 5 (130x14): the gauntlet: eight pits (3 wide, one rising), two bridges, three flyers, four jumpers near pits, eight walkers in pairs.' },
];

/**
 * The platformer envs to register: `Platformer-v0` (level 1), `Platformer-<n>-v0` for each shipped level n, and
 * `Platformer-Procgen-v0` (a new 80-wide procedural level every reset, difficulty 0.5, train seeds; pass
 * `procgenSplit: 'test'` to evaluate on held-out levels, `procgenLevels: n` to train on the first n only). All take
 * `observation: 'symbolic' | 'pixels'`, `rgb` and the reward weights as extra kwargs at `make` time.
 */
export const PLATFORMER_ENVS: readonly PlatformerRegistration[] = Object.freeze([
  record('Platformer-v0', { level: shippedLevelText(1) }, LEVELS[0].steps, `Platformer, ${LEVELS[0].description}`),
  ...LEVELS.slice(0, LEVEL_COUNT).map((l, i) => record(`Platformer-${i + 1}-v0`, { level: shippedLevelText(i + 1) }, l.steps, `Platformer ${l.description}`)),
  record(
    'Platformer-Procgen-v0',
    { level: 'procgen', procgenSplit: 'train', procgenDifficulty: 0.5, procgenWidth: 80, procgenLevels: 0 },
    1500,
    'Platformer, a new procedural level (80x14, difficulty 0.5) every reset, from the train seeds [0, 2^31); procgenSplit: "test" for [2^31, 2^32).',
  ),
]);
