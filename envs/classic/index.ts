/** Classic control envs: CartPole. */
import { CartPole, type CartPoleOptions } from './cartpole.ts';

export { CartPole, type CartPoleFrame, type CartPoleOptions, type CartPoleState } from './cartpole.ts';

/** One classic-control env to register (the shape `envs/index.ts` passes to `register`). */
export interface ClassicRegistration {
  readonly id: string;
  readonly entryPoint: (kwargs: Record<string, unknown>) => CartPole;
  readonly kwargs: Readonly<CartPoleOptions>;
  readonly maxEpisodeSteps: number;
  readonly description: string;
}

/** `CartPole` validates its kwargs itself (unknown keys are an `InvalidInputError`). */
const entryPoint = (kwargs: Record<string, unknown>): CartPole => new CartPole(kwargs as CartPoleOptions);

/** CartPole-v1 and -v0 differ only in the time limit, as in Gymnasium. */
export const CARTPOLE_ENVS: readonly ClassicRegistration[] = Object.freeze([
  Object.freeze({
    id: 'CartPole-v1',
    entryPoint,
    kwargs: Object.freeze({}),
    maxEpisodeSteps: 500,
    description: 'Balance a pole on a cart by pushing it left or right (Gymnasium CartPole-v1): +1 a step, 500-step limit.',
  }),
  Object.freeze({
    id: 'CartPole-v0',
    entryPoint,
    kwargs: Object.freeze({}),
    maxEpisodeSteps: 200,
    description: 'CartPole with the original 200-step limit (Gymnasium CartPole-v0).',
  }),
]);
