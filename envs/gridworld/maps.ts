/**
 * Built-in grid maps, as ASCII (legend in `GRID_LEGEND`, map.ts). The rewards and time limits named here are the
 * ones of their registrations in `GRIDWORLD_ENVS` (registrations.ts); a `GridWorld` built from the bare map uses
 * the `GridWorld` defaults instead.
 */

/**
 * 8x8 with the border walls: a 6x6 empty room, start top-left at (1, 1), goal bottom-right at (6, 6); the shortest
 * path is 10 steps. Layout as MiniGrid-Empty-8x8 (Chevalier-Boisvert et al., MiniGrid), with absolute moves instead
 * of MiniGrid's turn/forward actions.
 * `GridWorld-Empty-v0`: stepReward -0.01, goalReward 1; ends at the goal (terminated) or after 100 steps (truncated).
 */
export const Empty = `
########
#S.....#
#......#
#......#
#......#
#......#
#.....G#
########
`;

/**
 * The four-room world of Sutton, Precup & Singh (1999), "Between MDPs and semi-MDPs", Fig. 2: 13x13 with the border
 * walls (11x11 inside), four rooms joined by four one-cell doorways. Start in the top-left corner of the top-left
 * room, goal in the bottom-right corner of the bottom-right room (the placement is ours; the paper's goal G1 sits in
 * a hallway); the shortest path is 20 steps.
 * `GridWorld-FourRooms-v0`: stepReward -0.01, goalReward 1; ends at the goal or after 200 steps (10x the shortest path).
 */
export const FourRooms = `
#############
#S....#.....#
#.....#.....#
#...........#
#.....#.....#
#.....#.....#
##.####.....#
#.....###.###
#.....#.....#
#.....#.....#
#...........#
#.....#....G#
#############
`;

/**
 * Cliff walking, Sutton & Barto (2018), Example 6.6: 4x12 with no walls (outside the map counts as wall), start
 * bottom-left, goal bottom-right, the 10 cells between them are cliff. Same layout as Gymnasium CliffWalking-v0.
 * `GridWorld-CliffWalking-v0`: every step -1, including the step into the goal (goalReward -1, as in the book and
 * Gymnasium); stepping into the cliff gives -100 instead and sends the agent back to the start without ending the
 * episode. Ends at the goal or after 200 steps. The optimal (cliff-edge) path is 13 steps, return -13.
 */
export const CliffWalking = `
............
............
............
SCCCCCCCCCCG
`;

/**
 * FrozenLake 4x4, the standard map of Gymnasium FrozenLake-v1 (SFFF / FHFH / FFFH / HFFG, F = frozen floor '.').
 * Slippery: each move goes the intended way w.p. 1/3 and each perpendicular way w.p. 1/3.
 * `GridWorld-FrozenLake-v0`: goalReward 1, every other step 0, holes end the episode with 0; ends at the goal, in a
 * hole or after 100 steps (as Gymnasium).
 */
export const FrozenLake = `
S...
.H.H
...H
H..G
`;

/**
 * FrozenLake 8x8, the standard map of Gymnasium FrozenLake8x8-v1. Slippery, as {@link FrozenLake}.
 * `GridWorld-FrozenLake8x8-v0`: goalReward 1, else 0; ends at the goal, in a hole or after 200 steps (as Gymnasium).
 */
export const FrozenLake8x8 = `
S.......
........
...H....
.....H..
...H....
.HH...H.
.H..H.H.
...H...G
`;

/**
 * Key and door (our layout, in the spirit of MiniGrid DoorKey): two rooms split by a wall with one locked door.
 * The key lies on the start side; the agent must pick it up, walk into the door to open it, and reach the goal on
 * the far side. The shortest path is 12 steps.
 * `GridWorld-KeyDoor-v0`: stepReward -0.01, goalReward 1; ends at the goal or after 200 steps.
 */
export const KeyDoor = `
##########
#S..#....#
#...#....#
#...D....#
#.K.#...G#
#...#....#
##########
`;

/**
 * Lava gap (our fixed instance of MiniGrid LavaGapS7): 7x7 with the border walls, a column of lava between start
 * and goal with a single gap. The shortest path is 8 steps.
 * `GridWorld-Lava-v0`: stepReward -0.01, goalReward 1, lavaReward -1 (MiniGrid gives 0 for lava; we make dying
 * worse than wandering so the agent is taught to avoid it); ends at the goal, in lava, or after 100 steps.
 */
export const Lava = `
#######
#S.L..#
#..L..#
#.....#
#..L..#
#..L.G#
#######
`;

/** The built-in maps by name; `GridWorld`'s `map` option also accepts these names. */
export const GRIDWORLD_MAPS = Object.freeze({ Empty, FourRooms, CliffWalking, FrozenLake, FrozenLake8x8, KeyDoor, Lava });
export type GridWorldMapName = keyof typeof GRIDWORLD_MAPS;
