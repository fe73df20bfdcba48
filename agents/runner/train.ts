import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  MetricsWriter,
  Progress,
  RecordEpisodes,
  describeBackend,
  latestCheckpoint,
  make,
  saveRotating,
  useBackend,
  writeJsonAtomic,
  type Env,
} from '../../core/index.ts';
import { evaluate, type EvaluateResult } from '../common/evaluate.ts';
import type { Learner } from '../common/learner.ts';
import { AnnotateRecording } from './annotate-recording.ts';
import type { RunFlags } from './flags.ts';

export interface TrainSetup<A extends Learner> {
  flags: RunFlags<unknown>;
  /** The agent's name in logs and episode headers, e.g. `dqn`. */
  agentName: string;
  /** The agent's resolved config, saved in `config.json` beside the metrics. */
  config: object;
  /** Makes the env (training and evaluation each get one). Default `make(flags.env)`. */
  makeEnv?: () => Env<unknown, unknown>;
  /** Builds the env the periodic evaluations run on (default `makeEnv`), e.g. the full game when training ends episodes on a lost life. */
  makeEvalEnv?: () => Env<unknown, unknown>;
  makeAgent(env: Env<unknown, unknown>): A;
  loadAgent(path: string, env: Env<unknown, unknown>): Promise<A>;
  /** Env steps between checkpoints. Default: a tenth of the run, at least 1,000. */
  checkpointEvery?: number;
  /** Checkpoints kept (older ones are deleted). Default 3. */
  keepCheckpoints?: number;
  /** Store the replay buffer in checkpoints, so a resumed run trains on the same experience. Default true. */
  includeReplay?: boolean;
  /** Where lines go (default console.log). */
  log?: (line: string) => void;
}

export interface TrainResult<A extends Learner> {
  agent: A;
  /** The last periodic evaluation (`--eval-every`), if any ran. */
  lastEval: EvaluateResult | undefined;
  /** Every periodic evaluation, by env step. */
  evals: Array<{ step: number; result: EvaluateResult }>;
  wallSeconds: number;
  out: string;
}

/**
 * The training runner every experiment shares: sets up the backend, makes or resumes the agent, records every
 * n-th episode for the viewer, writes metrics (JSON lines) and the config, shows progress, evaluates periodically,
 * and checkpoints atomically so that `--resume` continues a killed run. A diverged run (NaN loss) stops with the
 * last good checkpoint kept.
 */
export async function train<A extends Learner>(setup: TrainSetup<A>): Promise<TrainResult<A>> {
  const { flags } = setup;
  const log = setup.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  await useBackend(flags.backend, { threads: flags.threads });
  log(`backend: ${describeBackend()}`);
  mkdirSync(flags.out, { recursive: true });
  const checkpointDir = join(flags.out, 'checkpoints');
  const checkpointEvery = setup.checkpointEvery ?? Math.max(1000, Math.floor(flags.steps / 10));
  const includeReplay = setup.includeReplay ?? true;
  const keep = setup.keepCheckpoints ?? 3;

  let agentRef: A | undefined;
  const makeEnv = setup.makeEnv ?? ((): Env<unknown, unknown> => make(flags.env));
  let env: Env<unknown, unknown> = makeEnv();
  if (flags.recordEvery > 0) {
    const recorder = new RecordEpisodes(env, {
      dir: join(flags.out, 'episodes'),
      episodeTrigger: (i) => i % flags.recordEvery === 0,
      trainingStep: () => agentRef?.numTimesteps ?? 0,
      agent: setup.agentName,
    });
    env = new AnnotateRecording(recorder, (observation) => agentRef?.annotate?.(observation) ?? {});
  }
  const resumeFrom = flags.resume ? latestCheckpoint(checkpointDir) : undefined;
  if (flags.resume && resumeFrom === undefined) log(`--resume: no checkpoint in ${checkpointDir}, starting afresh`);
  const agent = resumeFrom !== undefined ? await setup.loadAgent(resumeFrom.path, env) : setup.makeAgent(env);
  agentRef = agent;
  if (resumeFrom !== undefined) log(`resumed from ${resumeFrom.path} at step ${agent.numTimesteps}`);

  writeJsonAtomic(join(flags.out, 'config.json'), { experiment: flags.experiment, agent: setup.agentName, flags, config: setup.config });
  const metrics = new MetricsWriter(join(flags.out, 'metrics.jsonl'), resumeFrom !== undefined ? { resumeAtStep: agent.numTimesteps } : {});
  const progress = flags.quiet ? undefined : new Progress({ total: flags.steps, label: `${setup.agentName} ${flags.env}`, initialStep: agent.numTimesteps });
  const recent: number[] = [];
  const evals: TrainResult<A>['evals'] = [];
  let lastTrain: Record<string, number> = {};
  let spsFrom = { step: agent.numTimesteps, time: performance.now() };
  let previousStep = agent.numTimesteps;
  const evalEnv = flags.evalEvery > 0 ? (setup.makeEvalEnv ?? makeEnv)() : undefined;
  let lastCheckpointStep = -1;
  const checkpoint = (step: number): void => {
    lastCheckpointStep = step;
    saveRotating(checkpointDir, step, agent.toCheckpoint({ includeReplay }), { keep });
  };

  try {
    await agent.learn({
      totalTimesteps: flags.steps,
      callbacks: {
        onEpisode: (r) => {
          recent.push(r.episodeReturn);
          if (recent.length > 20) recent.shift();
          metrics.write(r.step, { 'charts/episodic_return': r.episodeReturn, 'charts/episodic_length': r.length });
        },
        onTrain: (r) => {
          lastTrain = r.metrics;
        },
        onStep: (step) => {
          // Vector-env agents advance several steps per call: act whenever a multiple of the interval was passed.
          const from = previousStep;
          previousStep = step;
          const passed = (every: number): boolean => Math.floor(step / every) > Math.floor(from / every);
          if (passed(1000)) {
            const now = performance.now();
            const sps = ((step - spsFrom.step) * 1000) / (now - spsFrom.time);
            spsFrom = { step, time: now };
            metrics.write(step, { 'charts/sps': sps, ...lastTrain });
            const fields: Record<string, number | string> = {};
            if (recent.length > 0) fields.return = (recent.reduce((a, b) => a + b, 0) / recent.length).toFixed(2);
            if (lastTrain['charts/epsilon'] !== undefined) fields.eps = lastTrain['charts/epsilon'].toFixed(3);
            if (lastTrain['losses/td_loss'] !== undefined) fields.loss = lastTrain['losses/td_loss'].toPrecision(3);
            if (lastTrain['losses/policy_loss'] !== undefined) fields.pi_loss = lastTrain['losses/policy_loss'].toPrecision(3);
            if (lastTrain['losses/value_loss'] !== undefined) fields.v_loss = lastTrain['losses/value_loss'].toPrecision(3);
            progress?.update(step, fields);
          }
          if (evalEnv !== undefined && passed(flags.evalEvery)) {
            const result = evaluate(agent, evalEnv, { episodes: flags.evalEpisodes, seed: 1_000_000 });
            evals.push({ step, result });
            const record: Record<string, number> = { 'eval/mean_return': result.mean, 'eval/std_return': result.std };
            if (result.completionRate !== undefined) record['eval/completion_rate'] = result.completionRate;
            metrics.write(step, record);
            const completion = result.completionRate !== undefined ? `, completed ${(100 * result.completionRate).toFixed(0)}%` : '';
            const line = `step ${step}: eval mean return ${result.mean.toFixed(2)} ± ${result.std.toFixed(2)} over ${flags.evalEpisodes} episodes${completion}`;
            if (progress !== undefined) progress.log(line);
            else log(line);
          }
          if (passed(checkpointEvery)) checkpoint(step);
        },
      },
    });
  } catch (err) {
    metrics.close();
    progress?.finish();
    const latest = latestCheckpoint(checkpointDir);
    log(`training stopped: ${(err as Error).message}${latest !== undefined ? `; the last good checkpoint is kept: ${latest.path} (step ${latest.step})` : ''}`);
    throw err;
  }

  if (lastCheckpointStep !== agent.numTimesteps) checkpoint(agent.numTimesteps);
  metrics.close();
  progress?.finish();
  const wallSeconds = (performance.now() - started) / 1000;
  log(`done: ${agent.numTimesteps} steps in ${wallSeconds.toFixed(1)} s; run folder ${flags.out}`);
  return { agent, lastEval: evals.at(-1)?.result, evals, wallSeconds, out: flags.out };
}
