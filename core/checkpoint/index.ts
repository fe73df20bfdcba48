/** Checkpoints: one atomically written, checksummed binary file per save (JSON meta plus typed arrays); see `format.ts`. */
export {
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_MAGIC,
  CHECKPOINT_DTYPES,
  type CheckpointArray,
  type CheckpointArrayOf,
  type CheckpointDtype,
} from './format.ts';
export { writeCheckpoint, readCheckpoint, checkpointArray, type Checkpoint, type CheckpointData, type ReadCheckpointOptions } from './checkpoint.ts';
export { checkpointFileName, checkpointPath, listCheckpoints, latestCheckpoint, saveRotating, type CheckpointFile, type SaveRotatingOptions } from './rotate.ts';
export type { JsonObject } from './json.ts';
