/** JSON shapes of the viewer server's API, shared by the server (Node) and the page (browser). No imports. */

/** One recorded episode in `GET /api/episodes`, read from its header and footer lines only. */
export interface EpisodeSummary {
  /** File name inside the run's episodes folder, e.g. `episode-000001.jsonl`. */
  name: string;
  envId: string | null;
  renderKind: string | null;
  trainingStep: number | null;
  episodeIndex: number | null;
  /** From the footer; null when the file has no footer (cut off, or still being written). */
  return: number | null;
  length: number | null;
  size: number;
  mtimeMs: number;
  /** Set when the header or footer line could not be read; the page still lists the file. */
  problem?: string;
}

export interface EpisodeStepJSON {
  t: number;
  action: unknown;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  frame?: FrameJSON;
  annotations?: { qValues?: number[]; actionProbs?: number[]; value?: number; [key: string]: unknown };
}

export interface FrameJSON {
  kind: string;
  [key: string]: unknown;
}

export interface EpisodeHeaderJSON {
  envId: string;
  seed: number | null;
  render: { kind: string; fps?: number };
  actionSpace: unknown;
  trainingStep?: number;
  episodeIndex?: number;
  agent?: string;
  initialFrame?: FrameJSON;
  [key: string]: unknown;
}

/** `GET /api/episodes/<name>`: the validated episode, or the parser's error (naming file and line). */
export type EpisodeResponse =
  | { ok: true; name: string; header: EpisodeHeaderJSON; steps: EpisodeStepJSON[]; end: { return: number; length: number } | null; complete: boolean }
  | { ok: false; name: string; error: string };

export interface MetricsResponse {
  records: Array<{ step: number; time: number; [key: string]: number }>;
  error?: string;
}

export interface RunInfo {
  name: string;
  hasMetrics: boolean;
  hasConfig: boolean;
  mode: 'replay' | 'play';
  play?: { envId: string };
}

/** `GET /api/play` in human-play mode (`serve.ts --play <env-id>`). */
export interface PlayInfo {
  envId: string;
  renderKind: string;
  fps: number;
  actions: number;
  actionNames: string[];
  timing: 'turn' | 'realtime';
  recording: boolean;
  /** Envs whose actions are machine-key combinations (ROM envs): how the keyboard drives them. */
  keypad?: PlayKeypad;
}

/**
 * Keyboard bindings for an env whose actions hold keys of a machine keypad (a CHIP-8 ROM's 16 hex keys): the page
 * ORs the machine keys of the keyboard keys held and takes the action that holds exactly those (else the largest
 * action they include, else action 0).
 */
export interface PlayKeypad {
  /** Machine keys held by each keyboard key, by `KeyboardEvent.code` (`Digit1`, `KeyQ`, `ArrowLeft`, `Space`). */
  bindings: Record<string, number[]>;
  /** The machine keys each action holds, in action order. */
  actions: number[][];
}

export interface PlayStepResult {
  t: number;
  frame: FrameJSON | null;
  reward: number;
  return: number;
  terminated: boolean;
  truncated: boolean;
  episode: number;
}
