import { describe, expect, it } from 'vitest';
import { Fifo } from './fifo.js';

describe('Fifo', () => {
  it('returns items in the order they were pushed', () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 5_000; i++) fifo.push(i);
    const out: number[] = [];
    for (let i = 0; i < 2_500; i++) out.push(fifo.shift() ?? -1);
    for (let i = 5_000; i < 6_000; i++) fifo.push(i);
    expect(fifo.size).toBe(3_500);
    for (let item = fifo.shift(); item !== undefined; item = fifo.shift()) out.push(item);
    expect(out).toEqual(Array.from({ length: 6_000 }, (_, i) => i));
    expect(fifo.size).toBe(0);
  });

  it('returns undefined when empty and after clear', () => {
    const fifo = new Fifo<string>();
    expect(fifo.shift()).toBeUndefined();
    fifo.push('a');
    fifo.clear();
    expect(fifo.size).toBe(0);
    expect(fifo.shift()).toBeUndefined();
  });
});
