import { z } from 'zod';
import { BaseEnv, Box, Discrete, EnvContractError, InvalidInputError, formatZodError, type EnvMetadata, type Frame, type ResetOptions, type ResetResult, type StepResult } from '../../core/index.ts';

/** The frame `CartPole.render()` returns; the viewer's `cartpole` renderer draws it. */
export interface CartPoleFrame extends Frame {
  readonly kind: 'cartpole';
  /** Cart position (m), 0 at the centre of the track. */
  readonly x: number;
  /** Pole angle (rad) from upright, positive clockwise (pole leaning towards +x). */
  readonly theta: number;
  /** The episode ends when |x| exceeds this (m). */
  readonly xThreshold: number;
  /** The episode ends when |theta| exceeds this (rad). */
  readonly thetaThreshold: number;
}

/** The physical state, in double precision: `[x, xDot, theta, thetaDot]`. */
export type CartPoleState = readonly [x: number, xDot: number, theta: number, thetaDot: number];

/** Keyword arguments of `CartPole` (all optional; `make('CartPole-v1', kwargs)` passes them through). */
export interface CartPoleOptions {
  /**
   * How positions follow velocities each step: `'euler'` (default, as Gymnasium CartPole-v1) updates the positions
   * with the old velocities; `'semi-implicit-euler'` updates the velocities first and moves with the new ones.
   */
  integrator?: 'euler' | 'semi-implicit-euler';
}

const optionsSchema = z.strictObject({
  integrator: z.enum(['euler', 'semi-implicit-euler']).optional(),
});

// Constants of Gymnasium CartPole-v1 (after Barto, Sutton & Anderson 1983), SI units.
const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_CART + MASS_POLE;
/** Half the pole's length (the distance from pivot to the pole's centre of mass). */
const HALF_LENGTH = 0.5;
const POLE_MASS_LENGTH = MASS_POLE * HALF_LENGTH;
const FORCE_MAG = 10.0;
/** Seconds between steps. */
const TAU = 0.02;
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;
const RESET_BOUND = 0.05;

/**
 * The cart-pole balancing task (Barto, Sutton & Anderson 1983) with the constants and semantics of Gymnasium
 * `CartPole-v1`. A pole is hinged on a cart on a frictionless track; each step pushes the cart left (action 0) or
 * right (action 1) with 10 N for 0.02 s.
 *
 * - Observation: `Float32Array [x, xDot, theta, thetaDot]`, in `Box([-4.8, -inf, -0.419, -inf], [4.8, inf, 0.419, inf])`
 *   (positions bounded at twice the termination thresholds). A fresh array each step; the state itself is kept in
 *   double precision.
 * - Reward: 1 for every step, the terminating one included. Stepping on after termination without a reset is
 *   allowed, as in Gymnasium, but meaningless: such steps give 0 while the state stays beyond the thresholds.
 * - Terminated when |theta| > 12 degrees or |x| > 2.4 m. Never truncates by itself: the registrations add the time
 *   limit (500 steps for v1, 200 for v0).
 * - Reset: each state variable uniform in [-0.05, 0.05), drawn from the env's seeded RNG.
 * - Physics: the frictionless equations of motion (Barto, Sutton & Anderson 1983; derived in Florian 2007,
 *   "Correct equations for the dynamics of the cart-pole system"), one explicit Euler step of `tau` per step.
 */
export class CartPole extends BaseEnv<Float32Array, number> {
  readonly observationSpace: Box = new Box({
    low: [-2 * X_THRESHOLD, -Infinity, -2 * THETA_THRESHOLD, -Infinity],
    high: [2 * X_THRESHOLD, Infinity, 2 * THETA_THRESHOLD, Infinity],
  });
  readonly actionSpace = new Discrete(2);
  override readonly metadata: EnvMetadata = Object.freeze({ renderModes: Object.freeze(['frame']), renderFps: 50 });

  static readonly xThreshold = X_THRESHOLD;
  static readonly thetaThreshold = THETA_THRESHOLD;

  readonly integrator: 'euler' | 'semi-implicit-euler';
  private x = 0;
  private xDot = 0;
  private theta = 0;
  private thetaDot = 0;
  private hasState = false;
  /** True once the episode has terminated: later steps give reward 0. */
  private done = false;

  constructor(options: CartPoleOptions = {}) {
    super();
    const parsed = optionsSchema.safeParse(options ?? {});
    if (!parsed.success) throw new InvalidInputError(`CartPole: invalid options: ${formatZodError(parsed.error)}`);
    this.integrator = parsed.data.integrator ?? 'euler';
  }

  reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedOnReset(opts);
    const rng = this.rng;
    this.x = rng.uniform(-RESET_BOUND, RESET_BOUND);
    this.xDot = rng.uniform(-RESET_BOUND, RESET_BOUND);
    this.theta = rng.uniform(-RESET_BOUND, RESET_BOUND);
    this.thetaDot = rng.uniform(-RESET_BOUND, RESET_BOUND);
    this.hasState = true;
    this.done = false;
    return { observation: this.observe(), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.hasState) throw new EnvContractError('CartPole: step() called before reset(); call reset() first');
    if (action !== 0 && action !== 1) throw new EnvContractError(`CartPole: action must be 0 (push left) or 1 (push right), received ${String(action)}`);

    const force = action === 1 ? FORCE_MAG : -FORCE_MAG;
    const cos = Math.cos(this.theta);
    const sin = Math.sin(this.theta);
    // Angular acceleration of the pole, then linear acceleration of the cart (frictionless cart and pivot).
    const temp = (force + POLE_MASS_LENGTH * this.thetaDot * this.thetaDot * sin) / TOTAL_MASS;
    const thetaAcc = (GRAVITY * sin - cos * temp) / (HALF_LENGTH * (4 / 3 - (MASS_POLE * cos * cos) / TOTAL_MASS));
    const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;

    if (this.integrator === 'euler') {
      this.x += TAU * this.xDot;
      this.xDot += TAU * xAcc;
      this.theta += TAU * this.thetaDot;
      this.thetaDot += TAU * thetaAcc;
    } else {
      this.xDot += TAU * xAcc;
      this.x += TAU * this.xDot;
      this.thetaDot += TAU * thetaAcc;
      this.theta += TAU * this.thetaDot;
    }

    const terminated = this.x < -X_THRESHOLD || this.x > X_THRESHOLD || this.theta < -THETA_THRESHOLD || this.theta > THETA_THRESHOLD;
    // As Gymnasium: 1 while upright and for the step that terminates; 0 for steps taken beyond termination.
    let reward = 1;
    if (terminated) {
      if (this.done) reward = 0;
      else this.done = true;
    }
    return { observation: this.observe(), reward, terminated, truncated: false, info: {} };
  }

  render(): CartPoleFrame {
    if (!this.hasState) throw new EnvContractError('CartPole: render() called before reset(); call reset() first');
    return { kind: 'cartpole', x: this.x, theta: this.theta, xThreshold: X_THRESHOLD, thetaThreshold: THETA_THRESHOLD };
  }

  /** The current state in double precision: `[x, xDot, theta, thetaDot]`. */
  getState(): CartPoleState {
    return [this.x, this.xDot, this.theta, this.thetaDot];
  }

  /**
   * Puts the cart and pole in a given state (tests, demonstrations). Starts a fresh episode: a state beyond the
   * thresholds terminates on the next step, with reward 1.
   */
  setState(state: ArrayLike<number>): void {
    if (state.length !== 4) throw new RangeError(`CartPole.setState: expected [x, xDot, theta, thetaDot], received length ${state.length}`);
    for (let i = 0; i < 4; i++) {
      if (!Number.isFinite(state[i])) throw new RangeError(`CartPole.setState: state[${i}] must be a finite number, received ${state[i]}`);
    }
    this.x = state[0];
    this.xDot = state[1];
    this.theta = state[2];
    this.thetaDot = state[3];
    this.hasState = true;
    this.done = false;
  }

  private observe(): Float32Array {
    const obs = new Float32Array(4);
    obs[0] = this.x;
    obs[1] = this.xDot;
    obs[2] = this.theta;
    obs[3] = this.thetaDot;
    return obs;
  }
}
