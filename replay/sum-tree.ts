/**
 * Segment trees over `capacity` leaves in Float64Arrays, for prioritized replay: `SumTree` (prefix-sum search
 * for proportional sampling) and `MinTree` (smallest priority, for the largest importance weight).
 * Both are implicit binary heaps: node 1 is the root, node `j` has children `2j` and `2j+1`, leaf `i` is node
 * `size + i` where `size` is the power of two at or above `capacity`. `set` is O(log n), `total`/`min` O(1).
 */

function leafCount(capacity: number): number {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`segment tree: capacity must be a positive integer, received ${capacity}`);
  let size = 1;
  while (size < capacity) size *= 2;
  return size;
}

export class SumTree {
  readonly capacity: number;
  private readonly size: number;
  private readonly tree: Float64Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.size = leafCount(capacity);
    this.tree = new Float64Array(2 * this.size);
  }

  /** Sets leaf `i` to `value` (>= 0) and refreshes the sums above it. */
  set(i: number, value: number): void {
    const t = this.tree;
    let node = this.size + i;
    t[node] = value;
    // recompute (rather than add a delta) so rounding errors do not accumulate over millions of updates
    for (node >>= 1; node >= 1; node >>= 1) t[node] = t[2 * node] + t[2 * node + 1];
  }

  get(i: number): number {
    return this.tree[this.size + i];
  }

  /** Sum of all leaves. */
  total(): number {
    return this.tree[1];
  }

  /**
   * The leaf `i` whose prefix interval [sum_{j<i} p_j, sum_{j<=i} p_j) contains `u` (0 <= u < total()).
   * Never returns a zero leaf while `total() > 0`: a subtree whose sum is 0 is never entered, even where
   * rounding would push `u` into it.
   */
  find(u: number): number {
    const t = this.tree;
    const size = this.size;
    let node = 1;
    while (node < size) {
      const left = t[2 * node];
      if ((u < left && left > 0) || t[2 * node + 1] <= 0) {
        node = 2 * node;
      } else {
        u -= left;
        node = 2 * node + 1;
      }
    }
    return node - size;
  }

  clear(): void {
    this.tree.fill(0);
  }

  /** Sets every leaf from `values` (length <= capacity; the rest become 0) and rebuilds in O(n). */
  load(values: ArrayLike<number>): void {
    const t = this.tree;
    t.fill(0);
    for (let i = 0; i < values.length; i++) t[this.size + i] = values[i];
    for (let node = this.size - 1; node >= 1; node--) t[node] = t[2 * node] + t[2 * node + 1];
  }
}

export class MinTree {
  readonly capacity: number;
  private readonly size: number;
  private readonly tree: Float64Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.size = leafCount(capacity);
    this.tree = new Float64Array(2 * this.size).fill(Infinity);
  }

  /** Sets leaf `i` (use `Infinity` for "absent") and refreshes the minima above it. */
  set(i: number, value: number): void {
    const t = this.tree;
    let node = this.size + i;
    t[node] = value;
    for (node >>= 1; node >= 1; node >>= 1) {
      const l = t[2 * node];
      const r = t[2 * node + 1];
      t[node] = l < r ? l : r;
    }
  }

  get(i: number): number {
    return this.tree[this.size + i];
  }

  /** Smallest leaf (`Infinity` when all are absent). */
  min(): number {
    return this.tree[1];
  }

  clear(): void {
    this.tree.fill(Infinity);
  }

  /** Sets every leaf from `values` (the rest become `Infinity`) and rebuilds in O(n). */
  load(values: ArrayLike<number>): void {
    const t = this.tree;
    t.fill(Infinity);
    for (let i = 0; i < values.length; i++) t[this.size + i] = values[i];
    for (let node = this.size - 1; node >= 1; node--) t[node] = Math.min(t[2 * node], t[2 * node + 1]);
  }
}
