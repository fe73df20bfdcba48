// Write your own env: implement the contract, register it, and make() gives it the checker and a time limit.
import { BaseEnv, Box, Discrete, checkEnv, make, register, type ResetOptions } from 'arcade-rl';

/** Guess a hidden number in [0, 10): the observation says "higher" (1) or "lower" (0) after each guess. */
class GuessNumber extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box({ low: 0, high: 1, shape: [1] });
  readonly actionSpace = new Discrete(10);
  private target = 0;

  reset(opts?: ResetOptions) {
    this.seedOnReset(opts); // reset({ seed }) reseeds this.rng: same seed, same episode
    this.target = this.rng.int(10);
    return { observation: Float32Array.of(0.5), info: {} };
  }

  step(guess: number) {
    const hit = guess === this.target;
    return { observation: Float32Array.of(guess < this.target ? 1 : 0), reward: hit ? 1 : -0.1, terminated: hit, truncated: false, info: {} };
  }
}

const id = register({ id: 'GuessNumber-v0', entryPoint: () => new GuessNumber(), maxEpisodeSteps: 20 });
const env = make(id); // typed: Env<Float32Array, number>
checkEnv(env); // throws, naming every broken rule, if the env breaks the contract
let { observation } = env.reset({ seed: 1 });
let low = 0, high = 9, total = 0, done = false;
while (!done) {
  const guess = Math.floor((low + high) / 2); // binary search on the hints
  const r = env.step(guess);
  if ((observation = r.observation)[0] === 1) low = guess + 1; else high = guess - 1;
  total += r.reward;
  done = r.terminated || r.truncated;
}
console.log(`GuessNumber-v0 solved with return ${total.toFixed(1)}`);
