import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectInvalid } from './helpers/expect-invalid.ts';
import { MetricsWriter, Progress, formatCount, formatDuration, formatValue, parseMetrics, readMetrics, writeJsonAtomic } from '../core/logging/index.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arcade-log-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A clock the test moves by hand, in seconds. */
function fakeClock(start = 100): { now: () => number; advance: (s: number) => void } {
  let t = start;
  return { now: () => t, advance: (s) => (t += s) };
}


describe('MetricsWriter', () => {
  it('writes one JSON line per write, with step and time first', () => {
    const file = path.join(dir, 'run', 'metrics.jsonl');
    const clock = fakeClock();
    const w = new MetricsWriter(file, { clock: clock.now });
    clock.advance(12.5);
    w.write(1200, { 'charts/episodic_return': 17, 'charts/epsilon': 0.05 });
    clock.advance(0.0004);
    w.write(1300, { 'losses/td_loss': 0.25 });
    w.close();
    w.close(); // again: nothing
    expect(fs.readFileSync(file, 'utf8')).toBe(
      '{"step":1200,"time":12.5,"charts/episodic_return":17,"charts/epsilon":0.05}\n{"step":1300,"time":12.5,"losses/td_loss":0.25}\n',
    );
    expect(readMetrics(file)).toEqual([
      { step: 1200, time: 12.5, 'charts/episodic_return': 17, 'charts/epsilon': 0.05 },
      { step: 1300, time: 12.5, 'losses/td_loss': 0.25 },
    ]);
    expectInvalid(() => w.write(1400, {}), /write after close/);
  });

  it('buffers, flushing every N lines, after N seconds, and on flush()/close()', () => {
    const file = path.join(dir, 'm.jsonl');
    const clock = fakeClock();
    const w = new MetricsWriter(file, { clock: clock.now, flushEveryLines: 3, flushEverySeconds: 10 });
    const lines = (): number => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').length - 1 : 0);
    w.write(1, { a: 1 });
    w.write(2, { a: 2 });
    expect(lines()).toBe(0);
    w.write(3, { a: 3 });
    expect(lines()).toBe(3);
    w.write(4, { a: 4 });
    clock.advance(11);
    w.write(5, { a: 5 });
    expect(lines()).toBe(5);
    w.write(6, { a: 6 });
    w.flush();
    expect(lines()).toBe(6);
    w.write(7, { a: 7 });
    w.close();
    expect(lines()).toBe(7);
  });

  it('rejects NaN and Infinity naming the key, and reserved keys', () => {
    const w = new MetricsWriter(path.join(dir, 'm.jsonl'));
    expectInvalid(() => w.write(10, { 'charts/sps': 5, 'losses/td_loss': Number.NaN }), /m\.jsonl\): "losses\/td_loss" at step 10: expected a finite number, received NaN/);
    expectInvalid(() => w.write(10, { x: Number.POSITIVE_INFINITY }), /"x" at step 10: expected a finite number, received Infinity/);
    expectInvalid(() => w.write(10, { time: 3 }), /"time" is a reserved key/);
    expectInvalid(() => w.write(-1, {}), /step: expected a non-negative integer, received -1/);
    expectInvalid(() => w.write(10, { s: '1' as unknown as number }), /"s" at step 10: expected a finite number, received "1"/);
    w.close();
    expect(fs.readFileSync(path.join(dir, 'm.jsonl'), 'utf8')).toBe('');
  });

  it('appends to an existing file, dropping a partial last line first', () => {
    const file = path.join(dir, 'm.jsonl');
    fs.writeFileSync(file, '{"step":1,"time":0.5,"a":1}\n{"step":2,"ti');
    const w = new MetricsWriter(file, { clock: fakeClock().now });
    w.write(3, { a: 3 });
    w.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"step":1,"time":0.5,"a":1}\n{"step":3,"time":0,"a":3}\n');
  });

  it('resumeAtStep drops lines logged after the checkpoint and continues the time', () => {
    const file = path.join(dir, 'm.jsonl');
    fs.writeFileSync(file, ['{"step":100,"time":1,"a":1}', '{"step":200,"time":2,"a":2}', '{"step":300,"time":3,"a":3}', ''].join('\n'));
    const clock = fakeClock();
    const w = new MetricsWriter(file, { clock: clock.now, resumeAtStep: 200 });
    clock.advance(0.5);
    w.write(300, { a: 30 });
    w.close();
    expect(readMetrics(file)).toEqual([
      { step: 100, time: 1, a: 1 },
      { step: 200, time: 2, a: 2 },
      { step: 300, time: 2.5, a: 30 },
    ]);
    expect(fs.readdirSync(dir)).toEqual(['m.jsonl']);
  });
});

describe('parseMetrics', () => {
  it('names the file and line of a bad line', () => {
    expectInvalid(() => parseMetrics('{"step":1,"time":0}\n{"step":2,"time":1,"x":"a"}\n', 'm.jsonl'), /^m\.jsonl, line 2: x: .*expected number, received string/);
    expectInvalid(() => parseMetrics('{"step":1.5,"time":0}\n', 'm.jsonl'), /line 1: step: .*expected int/);
    expectInvalid(() => parseMetrics('{"time":0}\n', 'm.jsonl'), /line 1: step: /);
    expectInvalid(() => parseMetrics('{"step":1,\n{"step":2,"time":0}\n', 'm.jsonl'), /line 1: malformed JSON/);
    expectInvalid(() => parseMetrics('[1]\n', 'm.jsonl'), /line 1: expected a JSON object, received Array\(1\)/);
  });

  it('skips blank lines and a partial last line (a live run), unless told not to', () => {
    const text = '{"step":1,"time":0}\n\n{"step":2,"time":1}\n{"step":3,"ti';
    expect(parseMetrics(text).map((r) => r.step)).toEqual([1, 2]);
    expectInvalid(() => parseMetrics(text, 'm.jsonl', { allowPartialLastLine: false }), /line 4: malformed JSON.*cut off/);
  });
});

describe('writeJsonAtomic', () => {
  it('writes pretty JSON atomically and refuses what JSON would change', () => {
    const file = path.join(dir, 'run', 'config.json');
    writeJsonAtomic(file, { lr: 2.5e-4, layers: [64, 64], opt: undefined });
    expect(fs.readFileSync(file, 'utf8')).toBe('{\n  "lr": 0.00025,\n  "layers": [\n    64,\n    64\n  ]\n}\n');
    expectInvalid(() => writeJsonAtomic(file, { lr: Number.NaN }), /writeJsonAtomic\(.*config\.json\): \(root\)\.lr is NaN/);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ lr: 2.5e-4, layers: [64, 64] });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['config.json']);
  });
});

describe('formatting', () => {
  it('formatDuration', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(45.4)).toBe('45s');
    expect(formatDuration(187)).toBe('3m 07s');
    expect(formatDuration(2 * 3600 + 5 * 60 + 30)).toBe('2h 05m');
    expect(formatDuration(27 * 3600)).toBe('1d 03h');
    expect(formatDuration(Number.NaN)).toBe('--');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('--');
  });

  it('formatCount', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(45.67)).toBe('45.7');
    expect(formatCount(456.7)).toBe('457');
    expect(formatCount(1000)).toBe('1.0k');
    expect(formatCount(12345)).toBe('12.3k');
    expect(formatCount(500_000)).toBe('500k');
    expect(formatCount(999_960)).toBe('1.0M');
    expect(formatCount(1_234_567)).toBe('1.2M');
    expect(formatCount(3.4e9)).toBe('3.4B');
    expect(formatCount(-12345)).toBe('-12.3k');
  });

  it('formatValue', () => {
    expect(formatValue(123.4)).toBe('123.4');
    expect(formatValue(123.456)).toBe('123.5');
    expect(formatValue(0.05)).toBe('0.05');
    expect(formatValue(17)).toBe('17');
    expect(formatValue('x')).toBe('x');
    expect(formatValue(Number.NaN)).toBe('NaN');
  });
});

describe('Progress', () => {
  function sink(isTTY: boolean, columns?: number): { stream: { write: (s: string) => boolean; isTTY: boolean; columns?: number }; text: () => string } {
    let out = '';
    return { stream: { write: (s: string) => ((out += s), true), isTTY, columns }, text: () => out };
  }

  it('on a TTY redraws one line with \\r, at most ten times a second', () => {
    const clock = fakeClock();
    const s = sink(true);
    const p = new Progress({ total: 10_000, label: 'dqn CartPole-v1', stream: s.stream, clock: clock.now });
    clock.advance(1);
    p.update(1000, { return: 123.4, eps: 0.05 });
    expect(s.text()).toBe('\rdqn CartPole-v1  1.0k/10.0k  10.0%  1.0k sps  ETA 9s  return 123.4  eps 0.05\x1b[K');
    clock.advance(0.05);
    p.update(1050, {});
    expect(s.text().split('\r').length).toBe(2); // throttled
    clock.advance(0.06);
    p.update(1100, { return: 1 });
    expect(s.text().split('\r').length).toBe(3);
    p.log('eval: mean return 200');
    expect(s.text()).toContain('\r\x1b[Keval: mean return 200\n');
    clock.advance(8.89);
    p.finish({ return: 150 });
    expect(s.text().endsWith('\rdqn CartPole-v1  1.1k/10.0k  11.0%  110 sps  took 10s  return 150\x1b[K\n')).toBe(true);
    p.finish(); // again: nothing
    expect(s.text().endsWith('\x1b[K\n')).toBe(true);
  });

  it('cuts TTY lines to the terminal width', () => {
    const clock = fakeClock();
    const s = sink(true, 20);
    const p = new Progress({ total: 100, label: 'a-long-label-here', stream: s.stream, clock: clock.now });
    p.update(1, { x: 1 });
    expect(s.text()).toBe(`\r${'a-long-label-here  1/100'.slice(0, 19)}\x1b[K`);
  });

  it('not on a TTY prints a plain line every intervalSeconds and at the end', () => {
    const clock = fakeClock();
    const s = sink(false);
    const p = new Progress({ total: 1000, stream: s.stream, clock: clock.now, intervalSeconds: 10, initialStep: 200 });
    p.update(300, { loss: 0.5 });
    expect(s.text()).toBe('');
    clock.advance(10);
    p.update(400, { loss: 0.25 });
    expect(s.text()).toBe('400/1.0k  40.0%  20 sps  ETA 30s  loss 0.25\n');
    clock.advance(5);
    p.update(500);
    expect(s.text().split('\n').length).toBe(2);
    clock.advance(25);
    p.update(1000, { loss: 0.1 });
    p.finish();
    expect(s.text().split('\n').slice(-3, -1)).toEqual(['1.0k/1.0k  100.0%  20 sps  ETA 0s  loss 0.1', '1.0k/1.0k  100.0%  20 sps  took 40s  loss 0.1']);
    p.log('done');
    expect(s.text().endsWith('done\n')).toBe(true);
  });

  it('isTTY defaults to the stream and can be forced', () => {
    const clock = fakeClock();
    const s = sink(true);
    const p = new Progress({ total: 10, stream: s.stream, isTTY: false, clock: clock.now });
    p.update(5);
    expect(s.text()).toBe('');
    expectInvalid(() => new Progress({ total: 0, stream: s.stream }), /total: expected a positive number, received 0/);
  });
});
