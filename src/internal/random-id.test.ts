import { describe, expect, it } from 'vitest';
import { randomId } from './random-id.js';

describe('randomId', () => {
  it('gives base64url ids of the requested number of bytes', () => {
    expect(randomId(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(randomId(12)).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('never repeats an id across pool refills', () => {
    const ids = new Set<string>();
    // 1,000 × 16 bytes: several refills of the 4 KiB pool.
    for (let i = 0; i < 1000; i++) ids.add(randomId(16));
    expect(ids.size).toBe(1000);
  });

  it('refuses more bytes than the pool holds', () => {
    expect(() => randomId(4097)).toThrow(RangeError);
  });
});
