export { type Space, type SpaceValue, type Dtype, SpaceBase, shapeSize } from './space.ts';
export { Discrete } from './discrete.ts';
export { Box, type BoxDtype, type BoxArrays, type BoxOptions } from './box.ts';
export { MultiBinary } from './multi-binary.ts';
export { MultiDiscrete } from './multi-discrete.ts';
export { Dict, Tuple } from './composite.ts';
export { type SpaceJSON, spaceJSONSchema } from './space-json.ts';
export { spaceFromJSON } from './from-json.ts';
