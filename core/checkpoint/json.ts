import type { JsonValue } from '../env.ts';
import { InvalidInputError } from '../errors.ts';

/** A JSON object: what a checkpoint's `meta` reads back as. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * Throws `InvalidInputError` (`<context>: <where>.a.b[2] is NaN; ...`) unless `JSON.stringify(x)` would read back
 * as an equal value: finite numbers, strings, booleans, null, arrays and plain objects only (object properties that
 * are `undefined` are allowed: JSON drops them, as TypeScript's optional properties expect).
 */
export function assertJson(x: unknown, where: string, context: string): void {
  new JsonChecker(context).check(x, where);
}

class JsonChecker {
  private readonly seen = new Set<object>();
  constructor(private readonly context: string) {}

  private fail(where: string, what: string): never {
    throw new InvalidInputError(`${this.context}: ${where} ${what}`);
  }

  check(x: unknown, where: string): void {
    switch (typeof x) {
      case 'string':
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(x)) this.fail(where, `is ${x}; JSON holds finite numbers only`);
        return;
      case 'object': {
        if (x === null) return;
        if (ArrayBuffer.isView(x)) this.fail(where, `is a ${x.constructor.name}; typed arrays go in \`arrays\`, or convert with Array.from`);
        if (this.seen.has(x)) this.fail(where, 'refers back to itself (a cycle)');
        this.seen.add(x);
        if (Array.isArray(x)) {
          for (let i = 0; i < x.length; i++) {
            if (x[i] === undefined) this.fail(`${where}[${i}]`, 'is undefined, which JSON writes as null');
            this.check(x[i], `${where}[${i}]`);
          }
        } else {
          const proto = Object.getPrototypeOf(x) as unknown;
          if (proto !== Object.prototype && proto !== null) {
            this.fail(where, `is a ${(x as { constructor?: { name?: string } }).constructor?.name ?? 'class instance'}; only plain objects and arrays can be written as JSON`);
          }
          for (const [k, v] of Object.entries(x)) if (v !== undefined) this.check(v, `${where}.${k}`);
        }
        this.seen.delete(x);
        return;
      }
      case 'undefined':
        return this.fail(where, 'is undefined');
      default:
        return this.fail(where, `is a ${typeof x}, which JSON cannot hold`);
    }
  }
}
