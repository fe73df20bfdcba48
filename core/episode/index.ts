/** Episode files: a JSON-lines record of one episode (header, steps, footer); see `format.ts`. */
export {
  EPISODE_FORMAT_VERSION,
  EPISODE_FORMAT_NAME,
  type Episode,
  type EpisodeFooter,
  type EpisodeHeader,
  type EpisodeLine,
  type EpisodeStep,
  type ParsedEpisode,
  type StepAnnotations,
  episodeFooterSchema,
  episodeHeaderSchema,
  episodeStepSchema,
  frameSchema,
  jsonValueSchema,
  stepAnnotationsSchema,
} from './format.ts';
export { EpisodeWriter, encodeEpisode, toJsonValue, writeFileAtomic, type EpisodeHeaderInit, type EpisodeStepInit, type FinishOptions } from './writer.ts';
export { parseEpisode, readEpisode, type ParseEpisodeOptions } from './reader.ts';
