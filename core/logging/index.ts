/** Run logging: metrics JSON lines (`MetricsWriter`, `readMetrics`), a progress line, atomic JSON files. */
export { MetricsWriter, readMetrics, type MetricsWriterOptions } from './metrics.ts';
export { parseMetrics, metricsRecordSchema, type MetricsRecord, type ParseMetricsOptions } from './metrics-format.ts';
export { Progress, type ProgressOptions, type ProgressStream, type ProgressFields } from './progress.ts';
export { formatDuration, formatCount, formatValue } from './format.ts';
export { writeJsonAtomic } from './json.ts';
