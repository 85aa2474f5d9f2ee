import { describe, expect, it } from 'vitest';
import { LonaError } from '../errors.js';
import { dataCopier, encodeData } from './json-data.js';

function reasonFor(data: unknown): string {
  try {
    encodeData('chat', data);
  } catch (error) {
    if (error instanceof LonaError && error.code === 'LONA_ERR_CHANNEL_NOT_JSON') {
      return error.message;
    }
    throw error;
  }
  throw new Error('expected encodeData to throw');
}

describe('encodeData', () => {
  it('encodes JSON data as JSON.stringify does', () => {
    const data = { a: [1, 'two', null, true], b: { c: -0.5 } };
    expect(encodeData('chat', data)).toBe(JSON.stringify(data));
  });

  it('names the topic and the key of a value JSON cannot carry', () => {
    const message = reasonFor({ user: { onClick: () => {} } });
    expect(message).toContain("'chat'");
    expect(message).toContain('"onClick"');
    expect(message).toContain('function');
  });

  it('explains non-finite numbers, BigInt, class instances, cycles and undefined', () => {
    expect(reasonFor({ n: NaN })).toContain('NaN is not a JSON number');
    expect(reasonFor([Infinity])).toContain('Infinity is not a JSON number');
    expect(reasonFor({ id: 1n })).toContain('bigint');
    expect(reasonFor({ seen: new Set() })).toContain('a Set is not a plain object');
    expect(reasonFor(undefined)).toContain('the data is undefined');
    expect(reasonFor([undefined])).toContain('undefined is not a JSON value');
    const cycle: { self?: unknown } = {};
    cycle.self = cycle;
    expect(reasonFor(cycle)).toMatch(/circular/i);
  });

  it('accepts objects without a prototype', () => {
    const data = Object.assign(Object.create(null) as object, { a: 1 });
    expect(encodeData('chat', data)).toBe('{"a":1}');
  });
});

describe('dataCopier', () => {
  it('returns a fresh object or array on every call', () => {
    const copy = dataCopier('{"a":[1]}');
    const first = copy();
    expect(first).toEqual({ a: [1] });
    expect(copy()).not.toBe(first);
  });

  it('returns primitives as they are', () => {
    expect(dataCopier('"text"')()).toBe('text');
    expect(dataCopier('null')()).toBe(null);
    expect(dataCopier('12')()).toBe(12);
  });
});
