/**
 * Whole episodes for REINFORCE, on typed arrays that grow (by doubling) only when a batch is longer than any
 * before it. Step `k` holds the encoded observation, the action, the reward and whether an episode ended there.
 */
export class EpisodeBuffer {
  size = 0;
  observations: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  dones: Uint8Array;
  /** Scratch of the same length for returns, values and advantages. */
  returns: Float32Array;
  values: Float32Array;
  advantages: Float32Array;
  private capacity: number;

  constructor(
    readonly observationSize: number,
    readonly actionSize: number,
    initialCapacity = 1024,
  ) {
    this.capacity = initialCapacity;
    this.observations = new Float32Array(initialCapacity * observationSize);
    this.actions = new Float32Array(initialCapacity * actionSize);
    this.rewards = new Float32Array(initialCapacity);
    this.dones = new Uint8Array(initialCapacity);
    this.returns = new Float32Array(initialCapacity);
    this.values = new Float32Array(initialCapacity);
    this.advantages = new Float32Array(initialCapacity);
  }

  /** Appends a step; `actions` holds `actionSize` values from `actionOffset`. */
  add(observation: Float32Array, actions: Float32Array, actionOffset: number, reward: number): void {
    if (this.size === this.capacity) this.grow();
    const k = this.size++;
    this.observations.set(observation, k * this.observationSize);
    for (let j = 0; j < this.actionSize; j++) this.actions[k * this.actionSize + j] = actions[actionOffset + j];
    this.rewards[k] = reward;
    this.dones[k] = 0;
  }

  /** Marks the last step added as the end of its episode. */
  endEpisode(): void {
    if (this.size > 0) this.dones[this.size - 1] = 1;
  }

  /** Drops the steps after the last episode end (an episode the step budget cut off). */
  dropUnfinished(): void {
    while (this.size > 0 && this.dones[this.size - 1] === 0) this.size--;
  }

  clear(): void {
    this.size = 0;
  }

  private grow(): void {
    const c = this.capacity * 2;
    const grow = <T extends Float32Array | Uint8Array>(a: T, width: number): T => {
      const b = new (a.constructor as new (n: number) => T)(c * width);
      b.set(a);
      return b;
    };
    this.observations = grow(this.observations, this.observationSize);
    this.actions = grow(this.actions, this.actionSize);
    this.rewards = grow(this.rewards, 1);
    this.dones = grow(this.dones, 1);
    this.returns = grow(this.returns, 1);
    this.values = grow(this.values, 1);
    this.advantages = grow(this.advantages, 1);
    this.capacity = c;
  }
}
