/** The viewer page: episode list, replay with controls, step panel, training charts, live updates. */
import { Application } from 'pixi.js';
import type { EpisodeResponse, EpisodeStepJSON, EpisodeSummary, FrameJSON, MetricsResponse, PlayInfo, PlayKeypad, PlayStepResult, RunInfo } from '../types.ts';
import { renderCharts } from './charts.ts';
import { createRenderer, type Renderer } from './renderers.ts';

const STAGE_W = 512;
const STAGE_H = 512;

const $ = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`viewer: #${id} missing from the page`);
  return e as T;
};

const ACTION_NAMES: Record<string, string[]> = {
  grid: ['up', 'right', 'down', 'left'],
  platformer: ['noop', 'left', 'right', 'jump', 'left+jump', 'right+jump'],
  cartpole: ['left', 'right'],
};

type LoadedEpisode = Extract<EpisodeResponse, { ok: true }>;

interface ViewerState {
  episodes: EpisodeSummary[];
  current?: LoadedEpisode;
  name?: string;
  error?: string;
  /** Position: 0 is the state before the first step; i the state after step i-1. */
  index: number;
  playing: boolean;
  speed: number | 'max';
  returns: number[];
  framesDrawn: number;
}

const state: ViewerState = { episodes: [], index: 0, playing: false, speed: 1, returns: [], framesDrawn: 0 };
let renderer: Renderer | undefined;
let metrics: MetricsResponse['records'] = [];

const app = new Application();

async function getJSON<T>(url: string): Promise<T> {
  const r = await fetch(url, { cache: 'no-store' });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

function fmt(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined) return '–';
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

// ---- episode list ----

function rowFor(e: EpisodeSummary): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset.name = e.name;
  if (e.problem) {
    tr.classList.add('bad');
    tr.title = e.problem;
  }
  for (const v of [e.name.replace(/\.jsonl$/, ''), fmt(e.trainingStep), fmt(e.return), e.length === null ? 'cut' : String(e.length)]) {
    const td = document.createElement('td');
    td.textContent = v;
    tr.appendChild(td);
  }
  tr.addEventListener('click', () => void loadEpisode(e.name));
  return tr;
}

function renderList(): void {
  const body = $('episodes');
  body.replaceChildren(...state.episodes.map(rowFor));
  markSelected();
}

function markSelected(): void {
  for (const tr of $('episodes').querySelectorAll('tr')) tr.classList.toggle('sel', tr.dataset.name === state.name);
}

function upsertEpisode(e: EpisodeSummary): void {
  const i = state.episodes.findIndex((x) => x.name === e.name);
  const body = $('episodes');
  if (i >= 0) {
    state.episodes[i] = e;
    const old = body.querySelector(`tr[data-name="${CSS.escape(e.name)}"]`);
    old?.replaceWith(rowFor(e));
  } else {
    state.episodes.push(e);
    state.episodes.sort((a, b) => (a.name < b.name ? -1 : 1));
    renderList();
  }
  markSelected();
}

// ---- replay ----

function showError(msg: string | undefined): void {
  const box = $('error');
  if (msg === undefined) {
    box.classList.remove('show');
    box.replaceChildren();
    app.canvas.style.visibility = 'visible';
    return;
  }
  const b = document.createElement('b');
  b.textContent = 'This episode cannot be replayed:';
  box.replaceChildren(b, document.createTextNode(msg));
  box.classList.add('show');
  app.canvas.style.visibility = 'hidden';
}

async function loadEpisode(name: string): Promise<void> {
  play.active = false;
  state.playing = false;
  state.name = name;
  markSelected();
  let ep: EpisodeResponse;
  try {
    ep = await getJSON<EpisodeResponse>(`api/episodes/${encodeURIComponent(name)}`);
  } catch (err) {
    ep = { ok: false, name, error: (err as Error).message };
  }
  if (state.name !== name) return; // another click meanwhile
  if (!ep.ok) {
    state.current = undefined;
    state.error = ep.error;
    showError(ep.error);
    updateControls();
    $('info').textContent = '';
    return;
  }
  state.error = undefined;
  state.current = ep;
  showError(undefined);
  state.returns = [0];
  for (const s of ep.steps) state.returns.push(state.returns[state.returns.length - 1] + s.reward);
  const kind = ep.header.render.kind;
  if (!renderer || renderer.kind !== kind) {
    if (renderer) {
      app.stage.removeChild(renderer.view);
      renderer.destroy();
    }
    renderer = createRenderer(kind, STAGE_W, STAGE_H);
    app.stage.addChild(renderer.view);
  }
  const scrub = $<HTMLInputElement>('scrub');
  scrub.max = String(ep.steps.length);
  seek(0);
}

/** The frame shown at position i: the header's initial frame, then each step's frame (carrying the last one on). */
function frameAt(ep: LoadedEpisode, i: number): FrameJSON | undefined {
  for (let k = i; k >= 1; k--) {
    const f = ep.steps[k - 1].frame;
    if (f) return f;
  }
  return ep.header.initialFrame ?? ep.steps.find((s) => s.frame)?.frame;
}

function drawCurrent(): void {
  const ep = state.current;
  if (!ep || !renderer) return;
  const frame = frameAt(ep, state.index);
  if (frame) renderer.draw(frame);
  app.renderer.render(app.stage);
  state.framesDrawn++;
}

function seek(i: number): void {
  const ep = state.current;
  if (!ep) return;
  state.index = Math.max(0, Math.min(ep.steps.length, Math.round(i)));
  drawCurrent();
  updateControls();
  updateSide();
}

function updateControls(): void {
  const ep = state.current;
  const n = ep ? ep.steps.length : 0;
  $<HTMLInputElement>('scrub').value = String(state.index);
  $('pos').textContent = ep ? `t ${state.index} / ${n}` : '';
  $('play').textContent = state.playing ? '❚❚' : '▶';
}

function bars(title: string, values: number[], names: string[], chosen: unknown, probs: boolean): HTMLElement {
  const box = document.createElement('div');
  const h = document.createElement('h2');
  h.textContent = title;
  box.appendChild(h);
  const wrap = document.createElement('div');
  wrap.className = 'bars';
  wrap.dataset.kind = title;
  const lo = probs ? 0 : Math.min(0, ...values);
  const hi = probs ? 1 : Math.max(0, ...values);
  const span = hi - lo || 1;
  const best = values.indexOf(Math.max(...values));
  values.forEach((v, a) => {
    const row = document.createElement('div');
    row.className = 'bar';
    if (a === best) row.classList.add('best');
    if (a === chosen) row.classList.add('chosen');
    const label = document.createElement('span');
    label.textContent = names[a] ?? String(a);
    const track = document.createElement('div');
    track.className = 'track';
    const fill = document.createElement('div');
    fill.className = 'fill';
    const z = ((0 - lo) / span) * 100;
    const p = ((v - lo) / span) * 100;
    fill.style.left = `${Math.min(z, p)}%`;
    fill.style.width = `${Math.max(0.5, Math.abs(p - z))}%`;
    track.appendChild(fill);
    const num = document.createElement('span');
    num.textContent = v.toFixed(3);
    row.append(label, track, num);
    wrap.appendChild(row);
  });
  box.appendChild(wrap);
  return box;
}

function actionText(a: unknown, names: string[]): string {
  if (typeof a === 'number' && names[a]) return `${a} (${names[a]})`;
  return JSON.stringify(a);
}

function updateSide(): void {
  const info = $('info');
  const ep = state.current;
  if (!ep) return;
  const i = state.index;
  const names = ACTION_NAMES[ep.header.render.kind] ?? [];
  const next: EpisodeStepJSON | undefined = ep.steps[i];
  const prev: EpisodeStepJSON | undefined = ep.steps[i - 1];
  const dl = document.createElement('dl');
  const add = (k: string, v: string): void => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dd.title = v;
    dd.dataset.key = k;
    dl.append(dt, dd);
  };
  add('episode', ep.name);
  add('env', ep.header.envId);
  if (ep.header.trainingStep !== undefined) add('training step', String(ep.header.trainingStep));
  add('t', `${i} / ${ep.steps.length}`);
  add('next action', next ? actionText(next.action, names) : '(episode over)');
  add('last reward', prev ? fmt(prev.reward, 3) : '–');
  add('return so far', fmt(state.returns[i], 3));
  if (prev && (prev.terminated || prev.truncated)) add('ended', prev.terminated ? 'terminated' : 'truncated');
  if (!ep.complete) add('file', 'cut off (no footer)');
  const frame = frameAt(ep, i);
  if (frame) {
    for (const [k, v] of Object.entries(frame)) {
      if (k === 'kind') continue;
      if (typeof v === 'number') add(k, fmt(v, 3));
      else if (typeof v === 'boolean' || (typeof v === 'string' && v.length < 40)) add(k, String(v));
    }
  }
  const parts: HTMLElement[] = [dl];
  const ann = next?.annotations;
  if (ann) {
    if (Array.isArray(ann.qValues)) parts.push(bars('Q-values', ann.qValues, names, next.action, false));
    if (Array.isArray(ann.actionProbs)) parts.push(bars('action probabilities', ann.actionProbs, names, next.action, true));
    const extra = document.createElement('dl');
    for (const [k, v] of Object.entries(ann)) {
      if (k === 'qValues' || k === 'actionProbs') continue;
      const dt = document.createElement('dt');
      dt.textContent = k === 'value' ? 'value estimate' : k;
      const dd = document.createElement('dd');
      dd.textContent = typeof v === 'number' ? v.toFixed(4) : JSON.stringify(v);
      extra.append(dt, dd);
    }
    if (extra.childElementCount > 0) parts.push(extra);
  }
  info.replaceChildren(...parts);
}

// ---- playback loop ----

let lastTime = 0;
let carry = 0;
const frameTimes: number[] = [];
function tick(now: number): void {
  requestAnimationFrame(tick);
  const dt = lastTime === 0 ? 0 : now - lastTime;
  lastTime = now;
  const ep = state.current;
  if (!state.playing || !ep) {
    carry = 0;
    return;
  }
  if (state.index >= ep.steps.length) {
    state.playing = false;
    updateControls();
    return;
  }
  let advance: number;
  if (state.speed === 'max') advance = 1;
  else {
    carry += (dt / 1000) * (ep.header.render.fps ?? 30) * state.speed;
    advance = Math.floor(carry);
    carry -= advance;
  }
  if (advance > 0) {
    const t0 = performance.now();
    seekFast(state.index + advance);
    frameTimes.push(performance.now() - t0);
    if (frameTimes.length > 600) frameTimes.shift();
  }
}

/** Seek during playback: redraw the stage every frame, the side panel at most ~15 times a second. */
let lastSide = 0;
/** Minimum interval between side-panel updates during playback, ms (a hook for the bench). */
let panelIntervalMs = 66;
function seekFast(i: number): void {
  const ep = state.current;
  if (!ep) return;
  state.index = Math.min(ep.steps.length, i);
  drawCurrent();
  const now = performance.now();
  if (now - lastSide > panelIntervalMs || state.index === ep.steps.length) {
    lastSide = now;
    updateControls();
    updateSide();
  }
}

function togglePlay(): void {
  const ep = state.current;
  if (!ep) return;
  if (!state.playing && state.index >= ep.steps.length) seek(0);
  state.playing = !state.playing;
  updateControls();
}

function setSpeed(delta: number): void {
  const sel = $<HTMLSelectElement>('speed');
  const i = Math.max(0, Math.min(sel.options.length - 1, sel.selectedIndex + delta));
  sel.selectedIndex = i;
  sel.dispatchEvent(new Event('change'));
}

function selectRelative(delta: number): void {
  if (state.episodes.length === 0) return;
  const i = state.episodes.findIndex((e) => e.name === state.name);
  const j = Math.max(0, Math.min(state.episodes.length - 1, (i < 0 ? 0 : i) + delta));
  const name = state.episodes[j].name;
  void loadEpisode(name);
  $('episodes').querySelector(`tr[data-name="${CSS.escape(name)}"]`)?.scrollIntoView({ block: 'nearest' });
}

function wireControls(): void {
  $('play').addEventListener('click', togglePlay);
  $('fwd').addEventListener('click', () => {
    state.playing = false;
    seek(state.index + 1);
  });
  $('back').addEventListener('click', () => {
    state.playing = false;
    seek(state.index - 1);
  });
  $('first').addEventListener('click', () => seek(0));
  $('last').addEventListener('click', () => seek(state.current?.steps.length ?? 0));
  $<HTMLInputElement>('scrub').addEventListener('input', (e) => {
    state.playing = false;
    seek(Number((e.target as HTMLInputElement).value));
  });
  $<HTMLSelectElement>('speed').addEventListener('change', (e) => {
    const v = (e.target as HTMLSelectElement).value;
    state.speed = v === 'max' ? 'max' : Number(v);
  });
  window.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT') && e.key !== ' ') {
      if (t.tagName === 'SELECT') return;
    }
    if (play.active) {
      if (playKey(e, true)) e.preventDefault();
      return;
    }
    let handled = true;
    switch (e.key) {
      case ' ':
        togglePlay();
        break;
      case 'ArrowRight':
        state.playing = false;
        seek(state.index + 1);
        break;
      case 'ArrowLeft':
        state.playing = false;
        seek(state.index - 1);
        break;
      case 'ArrowDown':
        selectRelative(1);
        break;
      case 'ArrowUp':
        selectRelative(-1);
        break;
      case 'Home':
        seek(0);
        break;
      case 'End':
        seek(state.current?.steps.length ?? 0);
        break;
      case '+':
      case '=':
        setSpeed(1);
        break;
      case '-':
        setSpeed(-1);
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  });
}

// ---- human play (serve.ts --play) ----

const play = {
  active: false,
  info: undefined as PlayInfo | undefined,
  last: undefined as PlayStepResult | undefined,
  held: new Set<string>(),
  /** `KeyboardEvent.code`s held (keypad envs bind by code, so the bindings hold on any keyboard layout). */
  codes: new Set<string>(),
  /** Keypad envs: the machine-key bitmask of each action. */
  actionMasks: [] as number[],
  pending: false,
  lastAction: 0,
};

function ensureRenderer(kind: string): Renderer {
  if (!renderer || renderer.kind !== kind) {
    if (renderer) {
      app.stage.removeChild(renderer.view);
      renderer.destroy();
    }
    renderer = createRenderer(kind, STAGE_W, STAGE_H);
    app.stage.addChild(renderer.view);
  }
  return renderer;
}

function showPlay(r: PlayStepResult): void {
  const info = play.info;
  if (!info) return;
  play.last = r;
  if (r.frame) {
    ensureRenderer(info.renderKind).draw(r.frame);
    app.renderer.render(app.stage);
  }
  const dl = document.createElement('dl');
  const add = (k: string, v: string): void => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dd.dataset.key = k;
    dl.append(dt, dd);
  };
  add('playing', info.envId);
  add('episode', String(r.episode + 1));
  add('t', String(r.t));
  add('last reward', fmt(r.reward, 3));
  add('return', fmt(r.return, 3));
  add('recording', info.recording ? 'yes: finished episodes appear in the list' : 'no');
  if (r.terminated || r.truncated) add('over', `${r.terminated ? 'terminated' : 'truncated'}: press Enter for a new episode`);
  const keys = document.createElement('p');
  keys.className = 'hint';
  keys.textContent = keyHelp(info);
  $('info').replaceChildren(dl, keys);
  $('pos').textContent = `playing: t ${r.t}`;
}

function keyHelp(info: PlayInfo): string {
  if (info.renderKind === 'grid') return 'keys: arrows move (one step per press); Enter: new episode';
  if (info.renderKind === 'platformer') return 'keys: ← → run, space or ↑ jump (held keys, real time); Enter: new episode';
  if (info.renderKind === 'cartpole') return 'keys: ← → push the cart (real time); Enter: new episode';
  if (info.keypad) return keypadHelp(info, info.keypad);
  return `keys: 0-${info.actions - 1} pick an action (one step per press): ${info.actionNames.map((n, i) => `${i} ${n}`).join(', ')}; Enter: new episode`;
}

const KEY_LABELS: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→', Space: 'space' };

function keypadHelp(info: PlayInfo, keypad: PlayKeypad): string {
  const hex = (keys: number[]): string => keys.map((k) => k.toString(16).toUpperCase()).join('+');
  const arrows = Object.entries(KEY_LABELS)
    .filter(([code]) => keypad.bindings[code])
    .map(([code, label]) => {
      const a = keypad.actions.findIndex((keys) => hex(keys) === hex(keypad.bindings[code]));
      return `${label} ${a >= 0 ? info.actionNames[a] : hex(keypad.bindings[code])}`;
    });
  const actions = keypad.actions.map((keys, a) => `${info.actionNames[a]}${keys.length > 0 ? ` (${hex(keys)})` : ''}`);
  return `keys (held, real time): ${arrows.join(', ')}; CHIP-8 keypad 1234/QWER/ASDF/ZXCV = 123C/456D/789E/A0BF (WASD = 5 7 8 9); actions: ${actions.join(', ')}; Enter: new episode`;
}

async function playPost(url: string): Promise<void> {
  play.pending = true;
  try {
    const r = await fetch(url, { method: 'POST' });
    const body = (await r.json()) as PlayStepResult & { error?: string };
    if (!r.ok) throw new Error(body.error ?? `HTTP ${r.status}`);
    showPlay(body);
  } finally {
    play.pending = false;
  }
}

function playStep(action: number): void {
  if (play.pending || !play.last || play.last.terminated || play.last.truncated) return;
  play.lastAction = action;
  void playPost(`api/play/step?action=${action}`);
}

/** Handles a key in play mode; true when it was one of the play keys. */
function playKey(e: KeyboardEvent, down: boolean): boolean {
  const info = play.info;
  if (!info) return false;
  const keys = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', ' ', 'Enter'];
  const bound = info.keypad !== undefined && Object.hasOwn(info.keypad.bindings, e.code);
  if (down) {
    play.held.add(e.key);
    play.codes.add(e.code);
  } else {
    play.held.delete(e.key);
    play.codes.delete(e.code);
  }
  if (!down) return keys.includes(e.key) || bound;
  if (e.key === 'Enter') {
    void playPost('api/play/reset');
    return true;
  }
  if (info.timing === 'realtime') return keys.includes(e.key) || bound;
  if (info.renderKind === 'grid') {
    const a = { ArrowUp: 0, ArrowRight: 1, ArrowDown: 2, ArrowLeft: 3 }[e.key];
    if (a !== undefined) playStep(a);
    return a !== undefined;
  }
  if (/^[0-9]$/.test(e.key) && Number(e.key) < info.actions) {
    playStep(Number(e.key));
    return true;
  }
  return false;
}

/** The action for the keys held now (real-time envs). */
function heldAction(info: PlayInfo): number {
  const h = play.held;
  const left = h.has('ArrowLeft');
  const right = h.has('ArrowRight');
  if (info.renderKind === 'platformer') {
    const jump = h.has(' ') || h.has('ArrowUp');
    if (jump) return left ? 4 : right ? 5 : 3;
    return left ? 1 : right ? 2 : 0;
  }
  if (info.renderKind === 'cartpole') return left ? 0 : right ? 1 : play.lastAction;
  if (info.keypad) return keypadAction(info.keypad);
  return 0;
}

/** The action holding exactly the machine keys held, else the one holding the most of them (and no other), else 0. */
function keypadAction(keypad: PlayKeypad): number {
  let held = 0;
  for (const code of play.codes) for (const k of keypad.bindings[code] ?? []) held |= 1 << k;
  let best = 0;
  let bestKeys = 0;
  play.actionMasks.forEach((mask, a) => {
    if (mask === 0 || (mask & ~held) !== 0) return;
    const n = keypad.actions[a].length + (mask === held ? 100 : 0);
    if (n > bestKeys) {
      best = a;
      bestKeys = n;
    }
  });
  return best;
}

async function startPlay(): Promise<void> {
  const r = await getJSON<{ info: PlayInfo; state: PlayStepResult }>('api/play');
  play.info = r.info;
  play.actionMasks = (r.info.keypad?.actions ?? []).map((keys) => keys.reduce((m, k) => m | (1 << k), 0));
  play.active = true;
  state.playing = false;
  state.name = undefined;
  state.current = undefined;
  markSelected();
  showError(undefined);
  showPlay(r.state);
  const btn = $('playmode');
  btn.hidden = false;
  btn.onclick = () => {
    play.active = true;
    state.name = undefined;
    state.current = undefined;
    markSelected();
    showError(undefined);
    if (play.last) showPlay(play.last);
  };
  window.addEventListener('keyup', (e) => {
    if (play.active) playKey(e, false);
  });
  if (r.info.timing === 'realtime') {
    setInterval(() => {
      if (play.active && play.info) playStep(heldAction(play.info));
    }, 1000 / Math.max(1, Math.min(60, r.info.fps)));
  }
}

// ---- live mode ----

function connectLive(): void {
  const live = $('live');
  const es = new EventSource('api/events');
  es.addEventListener('open', () => {
    live.textContent = '● live';
    live.classList.add('on');
  });
  es.addEventListener('error', () => {
    live.textContent = '○ not live (reconnecting)';
    live.classList.remove('on');
  });
  es.addEventListener('episode', (ev) => {
    upsertEpisode(JSON.parse((ev as MessageEvent<string>).data) as EpisodeSummary);
  });
  es.addEventListener('metrics', (ev) => {
    const recs = JSON.parse((ev as MessageEvent<string>).data) as MetricsResponse['records'];
    metrics = metrics.concat(recs);
    renderCharts($('charts'), metrics);
  });
}

// ---- start ----

/** Test and bench hooks. */
const hooks = {
  ready: false,
  readyMs: 0,
  app,
  get rendererName(): string {
    return app.renderer.name;
  },
  /** The frame renderer in use: 'grid', 'platformer', 'cartpole', 'chip8' or 'heatmap'. */
  get frameRenderer(): string | undefined {
    return renderer?.name;
  },
  get state(): ViewerState {
    return state;
  },
  loadEpisode,
  seek,
  setPanelInterval(ms: number): void {
    panelIntervalMs = ms;
  },
  togglePlay,
  /** Stage pixel at the centre of a cell (x, y) of the current frame, when the renderer knows cells. */
  cellCenter(x: number, y: number): { x: number; y: number } | undefined {
    return renderer?.cellCenter?.(x, y);
  },
  /** RGBA of a stage pixel as drawn now. */
  pixelAt(x: number, y: number): number[] {
    app.renderer.render(app.stage);
    const c = document.createElement('canvas');
    c.width = STAGE_W;
    c.height = STAGE_H;
    const ctx = c.getContext('2d');
    if (!ctx) return [];
    ctx.drawImage(app.canvas, 0, 0);
    return Array.from(ctx.getImageData(x, y, 1, 1).data);
  },
  /** RGBA of the whole stage as drawn now, row-major (`STAGE_W` x `STAGE_H`), for tests that compare many pixels. */
  stagePixels(): Uint8ClampedArray {
    app.renderer.render(app.stage);
    const c = document.createElement('canvas');
    c.width = STAGE_W;
    c.height = STAGE_H;
    const ctx = c.getContext('2d');
    if (!ctx) return new Uint8ClampedArray(0);
    ctx.drawImage(app.canvas, 0, 0);
    return ctx.getImageData(0, 0, STAGE_W, STAGE_H).data;
  },
  /** Plays the current episode one step per animation frame for `ms`; frames drawn per second. */
  async measureReplay(ms: number): Promise<{ fps: number; frames: number; meanDrawMs: number }> {
    const ep = state.current;
    if (!ep) throw new Error('no episode loaded');
    const n0 = state.framesDrawn;
    frameTimes.length = 0;
    const t0 = performance.now();
    state.speed = 'max';
    await new Promise<void>((resolve) => {
      const loop = (): void => {
        if (state.index >= ep.steps.length) seek(0);
        if (!state.playing) state.playing = true;
        if (performance.now() - t0 >= ms) return resolve();
        requestAnimationFrame(loop);
      };
      loop();
    });
    state.playing = false;
    const dt = performance.now() - t0;
    const frames = state.framesDrawn - n0;
    const meanDrawMs = frameTimes.reduce((a, b) => a + b, 0) / Math.max(1, frameTimes.length);
    return { fps: (frames * 1000) / dt, frames, meanDrawMs };
  },
};
(window as unknown as { __viewer: typeof hooks }).__viewer = hooks;

async function main(): Promise<void> {
  await app.init({
    width: STAGE_W,
    height: STAGE_H,
    background: '#000000',
    preference: 'webgl',
    antialias: false,
    autoStart: false,
    // Tests read pixels back from the canvas; ?readback=0 drops that (a little faster on software GL).
    preserveDrawingBuffer: new URLSearchParams(location.search).get('readback') !== '0',
    resolution: 1,
  });
  app.ticker.stop();
  $('stage').prepend(app.canvas);
  wireControls();
  const [run, episodes] = await Promise.all([getJSON<RunInfo>('api/run'), getJSON<EpisodeSummary[]>('api/episodes')]);
  $('run').textContent = run.name;
  document.title = `${run.name} · arcade-rl viewer`;
  state.episodes = episodes;
  renderList();
  if (run.mode === 'play') {
    await startPlay();
  } else if (episodes.length > 0) {
    // Start on the latest episode (the most trained agent).
    await loadEpisode(episodes[episodes.length - 1].name);
  } else {
    $('info').textContent = 'no recorded episodes yet (live mode shows them as they arrive)';
  }
  hooks.ready = true;
  hooks.readyMs = performance.now();
  requestAnimationFrame(tick);
  connectLive();
  if (run.hasMetrics) {
    const m = await getJSON<MetricsResponse>('api/metrics');
    // Records that arrived over the live stream meanwhile may also be in the file read: keep one of each.
    const seen = new Set(m.records.map((r) => `${r.step}:${r.time}`));
    metrics = m.records.concat(metrics.filter((r) => !seen.has(`${r.step}:${r.time}`)));
    renderCharts($('charts'), metrics, m.error);
  }
}

main().catch((err: unknown) => {
  const box = $('error');
  box.textContent = `viewer failed to start: ${(err as Error).message}`;
  box.classList.add('show');
  console.error(err);
});
