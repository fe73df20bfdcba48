export { MlpEngine, type MlpSpec } from './mlp-engine.ts';
export { FlatOptimizer, clipByGlobalNormInPlace } from './flat-optimizer.ts';
export { TdLoss, bootstrapTargets, type TdLossKind } from './td-loss.ts';
export { blockedSgemm, getDefaultSgemm, referenceSgemm, setDefaultSgemm, type Sgemm } from './sgemm.ts';
export { CategoricalPolicyLoss, ValueLoss } from './pg-losses.ts';
export { PLAIN_TS_MLP_LIMIT, prefersMlpEngine } from './choose-engine.ts';
