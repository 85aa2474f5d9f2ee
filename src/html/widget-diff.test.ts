import { describe, expect, it } from 'vitest';
import { diffWidgetData } from './widget-diff.js';

describe('diffWidgetData', () => {
  it('finds nothing between equal values', () => {
    expect(diffWidgetData({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });

  it('addresses nested changes by key path', () => {
    const text = 'x'.repeat(100);
    const before = { a: { b: 1, text }, list: [1, 2, 3], gone: 1 };
    const after = { a: { b: 2, text }, list: [1, 2], add: true };
    expect(diffWidgetData(before, after)).toEqual([
      ['delete', ['gone']],
      ['set', ['a', 'b'], 2],
      ['delete', ['list', 2]],
      ['set', ['add'], true],
    ]);
  });

  it('sets a value whole when that is smaller than its changes', () => {
    expect(diffWidgetData([1, 2, 3], [0, 1, 2, 3])).toEqual([['set', [], [0, 1, 2, 3]]]);
    expect(diffWidgetData({ a: 1 }, [1])).toEqual([['set', [], [1]]]);
    expect(diffWidgetData(1, 'x')).toEqual([['set', [], 'x']]);
  });
});
