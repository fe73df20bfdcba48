/**
 * arcade-rl agents: the DQN and policy-gradient families, gradient-free training, and actor/learner loops.
 * Empty until the DQN issue lands; agents import core and replay only, and get their env as an `Env`.
 */
export {};
