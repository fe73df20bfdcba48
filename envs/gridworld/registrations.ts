import { GridWorld, type GridWorldOptions, type ObservationMode } from './gridworld.ts';
import { CliffWalking, Empty, FourRooms, FrozenLake, FrozenLake8x8, KeyDoor, Lava } from './maps.ts';

/** One env the project registers: `register(id, { entryPoint, kwargs, maxEpisodeSteps })`. */
export interface GridWorldRegistration {
  readonly id: string;
  /** Builds the env from the registration's kwargs merged with the caller's (validated by `GridWorld`). */
  readonly entryPoint: (kwargs: Record<string, unknown>) => GridWorld<ObservationMode>;
  /** JSON-serialisable `GridWorld` options; `map` is the full ASCII map, so a spec describes the env by itself. */
  readonly kwargs: Readonly<GridWorldOptions>;
  /** For the registry's TimeLimit: the env itself never truncates. */
  readonly maxEpisodeSteps: number;
  readonly description: string;
}

const entryPoint = (kwargs: Record<string, unknown>): GridWorld<ObservationMode> => new GridWorld(kwargs as unknown as GridWorldOptions);

function record(id: string, kwargs: GridWorldOptions, maxEpisodeSteps: number, description: string): GridWorldRegistration {
  return Object.freeze({ id, entryPoint, kwargs: Object.freeze(kwargs), maxEpisodeSteps, description });
}

/** Shaped a little so that shorter paths score higher; the goal dominates. */
const ROOM_REWARDS = { stepReward: -0.01, goalReward: 1 };

/**
 * The grid worlds to register. All take `observation: 'index' | 'grid' | 'view'` (default 'index') and `viewSize`
 * as extra kwargs at `make` time. Time limits: 100 for the small rooms (Empty 10-step and Lava 8-step optimum),
 * 200 where the optimum is longer (FourRooms 20 steps, KeyDoor 12 steps plus a detour for the key) or where a
 * random agent needs long to get anywhere (CliffWalking: the cliff keeps sending it back); FrozenLake 100 and
 * FrozenLake8x8 200 as in Gymnasium.
 */
export const GRIDWORLD_ENVS: readonly GridWorldRegistration[] = Object.freeze([
  record('GridWorld-Empty-v0', { map: Empty, ...ROOM_REWARDS }, 100, 'Empty 6x6 room, reach the far corner (MiniGrid-Empty-8x8 layout). -0.01 a step, +1 at the goal.'),
  record('GridWorld-FourRooms-v0', { map: FourRooms, ...ROOM_REWARDS }, 200, 'Four rooms joined by doorways (Sutton, Precup & Singh 1999); corner to corner. -0.01 a step, +1 at the goal.'),
  record('GridWorld-CliffWalking-v0', { map: CliffWalking, stepReward: -1, goalReward: -1, cliffReward: -100 }, 200, 'Cliff walking 4x12 (Sutton & Barto Example 6.6): -1 a step, -100 and back to the start for the cliff.'),
  record('GridWorld-FrozenLake-v0', { map: FrozenLake, slippery: true, stepReward: 0, goalReward: 1, holeReward: 0 }, 100, 'FrozenLake 4x4, slippery (Gymnasium FrozenLake-v1 map): +1 at the goal, holes end the episode.'),
  record('GridWorld-FrozenLake8x8-v0', { map: FrozenLake8x8, slippery: true, stepReward: 0, goalReward: 1, holeReward: 0 }, 200, 'FrozenLake 8x8, slippery (Gymnasium FrozenLake8x8-v1 map): +1 at the goal, holes end the episode.'),
  record('GridWorld-KeyDoor-v0', { map: KeyDoor, ...ROOM_REWARDS }, 200, 'Pick up the key, open the locked door, reach the goal beyond. -0.01 a step, +1 at the goal.'),
  record('GridWorld-Lava-v0', { map: Lava, ...ROOM_REWARDS, lavaReward: -1 }, 100, 'Cross a lava column through its one gap (like MiniGrid LavaGapS7). -0.01 a step, +1 goal, -1 and the end in lava.'),
]);
