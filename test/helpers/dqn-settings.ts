import type { DQNConfig } from '../../agents/index.ts';

/** DQN settings that find FourRooms' optimal path within ~14k steps (seed 1): the learning tests share them. */
export const FOUR_ROOMS_DQN: Partial<DQNConfig> = {
  learningRate: 1e-3,
  batchSize: 64,
  bufferSize: 50_000,
  learningStarts: 1000,
  trainFreq: 4,
  targetUpdateInterval: 500,
  explorationFraction: 0.4,
  explorationFinalEps: 0.05,
  nStep: 3,
  network: { hidden: [64] },
  seed: 1,
};
