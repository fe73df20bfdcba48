import { PlatformerAction, type PlatformerFrame } from './platformer.ts';

const { Right, RightJump, Noop, Left, Jump } = PlatformerAction;

/**
 * A hand-written baseline policy that reads the env's state (its `render()` frame):
 * - on the ground, run right; jump at the last moment before a pit or a wall, and hop over a walker or jumper just
 *   ahead; before a pit, wait while a walker is on the far side (it might be where it lands); wait while a jumper
 *   just ahead is in the air; with a flyer overhead, do not jump: wait, or back off from a monster;
 * - in the air, hold jump (full height) while there is a pit or a wall below the path ahead, else let go (a short
 *   hop over a monster); falling towards a pit with a double jump left, use it.
 * It is not a planner: it fails now and then on the later levels. The tests use it to show that the levels can be
 * completed; it is also a yardstick for learned policies.
 */
export function scriptedAction(frame: PlatformerFrame): number {
  const { tiles, width, height } = frame;
  const p = frame.player;
  const at = (x: number, y: number): string => (x < 0 || x >= width ? '#' : y < 0 || y >= height ? '.' : tiles[y][x]);
  const standable = (x: number, y: number): boolean => {
    const c = at(x, y);
    return c === '#' || c === '=';
  };
  /** Nothing to land on within 3 rows below `row` in column `x`. */
  const pitAt = (x: number, row: number): boolean => !standable(x, row) && !standable(x, row + 1) && !standable(x, row + 2);
  const right = p.x + p.w;
  const feet = p.y + p.h;
  const alive = frame.monsters.filter((m) => m.alive);
  const flyerOverhead = alive.some((m) => m.kind === 'flyer' && m.x + m.w > p.x - 1.5 && m.x < right + 3 && m.y + m.h < feet && m.y + m.h > feet - 4.5);

  if (p.onGround) {
    const row = Math.round(feet);
    const ahead = Math.floor(right + 0.3);
    const pit = pitAt(ahead, row);
    const wall = at(ahead, row - 1) === '#';
    /** Columns from the player's right edge to the next pit within 6, or Infinity. */
    let pitDistance = Infinity;
    for (let dx = 0; dx <= 6; dx++) {
      if (pitAt(ahead + dx, row)) {
        pitDistance = ahead + dx - right;
        break;
      }
    }
    // Waiting: step back from a pit edge rather than slide into it.
    const wait = pitDistance < 1.5 ? Left : Noop;
    let monster = false;
    for (const m of alive) {
      if (m.kind === 'flyer' || Math.abs(m.y + m.h - feet) > 1.5) continue;
      const gap = m.x - right;
      if (m.kind === 'jumper') {
        // In the air just ahead: wait for it to come down.
        if (gap > -0.2 && gap < 3 && m.y + m.h < feet - 0.1) return wait;
        if (gap > -0.25 && gap < 2) monster = true;
        continue;
      }
      if (gap <= -0.25 || gap > 6) continue;
      if (m.vx < 0) {
        // Coming at us: near a pit, jump straight up and come down on it; else hop over it.
        if (pitDistance < gap + 4 && gap < 1.4) return flyerOverhead ? Left : Jump;
        if (pitDistance >= gap + 4 && gap < 2) monster = true;
      } else if (pitDistance < gap + 4) {
        // Walking away towards a pit: let it turn round first.
        if (gap < 3) return wait;
      } else if (gap < 2) {
        monster = true;
      }
    }
    if (flyerOverhead && monster) return Left;
    if (flyerOverhead && (pit || wall)) return wait;
    if (pit) {
      // Let a walker on the far side get out of the way.
      for (const m of alive) {
        if (m.kind !== 'walker') continue;
        const gap = m.x - right;
        const reach = m.vx < 0 ? 9 : 6.5;
        if (gap > 0 && gap < reach && Math.abs(m.y + m.h - feet) < 2.5) return wait;
      }
    }
    return pit || wall || monster ? RightJump : Right;
  }
  // Jumped straight up to stomp: stay put.
  if (p.vx === 0 && alive.some((m) => m.kind === 'walker' && Math.abs(m.x + m.w / 2 - (p.x + p.w / 2)) < 2 && m.y > p.y)) {
    return p.vy < 0 ? Jump : Noop;
  }
  const col = Math.floor(p.x + p.w / 2);
  const row = Math.floor(feet);
  if (p.vy < 0) {
    // Rising: hold for a full jump if a pit, a wall or a monster is under the next few columns, else a short hop.
    for (let dx = 0; dx <= 4; dx++) {
      if (pitAt(col + dx, row + 1) || at(col + dx, row) === '#') return RightJump;
    }
    for (const m of alive) if (m.kind !== 'flyer' && m.x + m.w > p.x - 1 && m.x < right + 4) return RightJump;
    return Right;
  }
  // Falling: a double jump if nothing is below to land on.
  if (p.doubleJump) {
    let ground = false;
    for (let y = row; y < height && !ground; y++) if (standable(col, y) || standable(col + 1, y)) ground = true;
    if (!ground) return p.jumpHeld ? Right : RightJump;
  }
  return Right;
}
