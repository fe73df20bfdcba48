/**
 * Grid worlds defined by ASCII maps: FrozenLake, CliffWalking, MiniGrid-like rooms, keys and doors, lava.
 * See README.md for the legend, observations and rewards.
 */
export {
  GridWorld,
  GridAction,
  GRID_ACTION_NAMES,
  GRID_CHANNELS,
  DEFAULT_GRID_REWARDS,
  type GridChannel,
  type GridObservation,
  type GridRewards,
  type GridWorldOptions,
  type ObservationMode,
} from './gridworld.ts';
export { GRID_LEGEND, GridMapError, parseGridMap, type GridMap } from './map.ts';
export { loadGridMap } from './load.ts';
export { Empty, FourRooms, CliffWalking, FrozenLake, FrozenLake8x8, KeyDoor, Lava, GRIDWORLD_MAPS, type GridWorldMapName } from './maps.ts';
export { GRIDWORLD_ENVS, type GridWorldRegistration } from './registrations.ts';
