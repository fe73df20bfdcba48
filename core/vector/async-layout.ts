import { Box } from '../spaces/box.ts';
import { Discrete } from '../spaces/discrete.ts';
import { MultiBinary } from '../spaces/multi-binary.ts';
import type { Space } from '../spaces/space.ts';
import type { SharedKind, SharedLayout } from './async-protocol.ts';

export type SharedArray = Float32Array | Uint8Array | Int32Array | Float64Array;

/** Typed-array views over a `SharedLayout`, the same on both sides. */
export interface SharedViews {
  obs: SharedArray | null;
  actions: SharedArray | null;
  rewards: Float64Array;
  terminations: Uint8Array;
  truncations: Uint8Array;
  autoreset: Uint8Array;
}

const BYTES: Record<SharedKind, number> = { float32: 4, uint8: 1, int32: 4, float64: 8, clone: 0 };

/** Observations: Box and MultiBinary as their typed array, Discrete as int32 (as `Batch` has them); the rest cloned. */
export function observationKind(space: Space<unknown>): { kind: SharedKind; size: number } {
  if (space instanceof Box) return { kind: space.dtype === 'uint8' ? 'uint8' : 'float32', size: space.size };
  if (space instanceof MultiBinary) return { kind: 'uint8', size: space.n };
  if (space instanceof Discrete) return { kind: 'int32', size: 1 };
  return { kind: 'clone', size: 0 };
}

/** Actions: Discrete as float64 (exact for any number, so the env checker still sees a bad one), Box as its dtype. */
export function actionKind(space: Space<unknown>): { kind: SharedKind; size: number } {
  if (space instanceof Discrete) return { kind: 'float64', size: 1 };
  if (space instanceof Box) return { kind: space.dtype === 'uint8' ? 'uint8' : 'float32', size: space.size };
  return { kind: 'clone', size: 0 };
}

export function createLayout(observationSpace: Space<unknown>, actionSpace: Space<unknown>, numEnvs: number): SharedLayout {
  const o = observationKind(observationSpace);
  const a = actionKind(actionSpace);
  const buffer = (kind: SharedKind, size: number): SharedArrayBuffer | null => (kind === 'clone' ? null : new SharedArrayBuffer(numEnvs * size * BYTES[kind]));
  return {
    obsKind: o.kind,
    obsSize: o.size,
    obs: buffer(o.kind, o.size),
    actKind: a.kind,
    actSize: a.size,
    actions: buffer(a.kind, a.size),
    rewards: new SharedArrayBuffer(numEnvs * 8),
    terminations: new SharedArrayBuffer(numEnvs),
    truncations: new SharedArrayBuffer(numEnvs),
    autoreset: new SharedArrayBuffer(numEnvs),
  };
}

export function viewsOf(layout: SharedLayout): SharedViews {
  return {
    obs: view(layout.obsKind, layout.obs),
    actions: view(layout.actKind, layout.actions),
    rewards: new Float64Array(layout.rewards),
    terminations: new Uint8Array(layout.terminations),
    truncations: new Uint8Array(layout.truncations),
    autoreset: new Uint8Array(layout.autoreset),
  };
}

function view(kind: SharedKind, buffer: SharedArrayBuffer | null): SharedArray | null {
  if (buffer === null) return null;
  switch (kind) {
    case 'float32':
      return new Float32Array(buffer);
    case 'uint8':
      return new Uint8Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
    case 'clone':
      return null;
  }
}
