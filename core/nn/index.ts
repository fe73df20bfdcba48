export { Network, applyActivation, type NetworkConfig, type ConvLayerConfig, type Activation } from './network.ts';
export { Optimizer, clipByGlobalNorm, l2Penalty, type ApplyOptions, type OptimizerConfig, type OptimizerName, type OptimizerState } from './optimizers.ts';
export { fusedAdamWasm, type FusedAdamParams } from './fused-adam.ts';
export { makeSchedule, type Schedule, type ScheduleConfig } from './schedules.ts';
export { huberLoss, mseLoss } from './losses.ts';
export { torchDefaultUniform, orthogonal } from './init.ts';
export * from './mlp/index.ts';
