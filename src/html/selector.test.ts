import { describe, expect, it } from 'vitest';
import { Div, Li, P, Ul } from './nodes/grouping.js';
import { Span } from './nodes/text-level.js';

const tree = () => {
  const target = new Span({ id: 'target', class: 'x y', 'data-k': 'v 1' }, 't');
  const root = new Div(
    { class: 'root' },
    new P({ class: 'x' }, 'p'),
    new Ul(
      { id: 'list' },
      new Li({ class: 'item' }, target),
      new Li({ class: 'item', hidden: true }),
    ),
  );
  return { root, target };
};

describe('selectors', () => {
  it('match tags, ids, classes, attributes and compounds', () => {
    const { root, target } = tree();
    expect(root.querySelector('span')).toBe(target);
    expect(root.querySelector('#target')).toBe(target);
    expect(root.querySelector('span.x.y#target[data-k="v 1"]')).toBe(target);
    expect(root.querySelector("[data-k='v 1']")).toBe(target);
    expect(root.querySelector('[data-k=nope]')).toBeNull();
    expect(root.querySelectorAll('li[hidden]')).toHaveLength(1);
    expect(root.querySelectorAll('.x')).toHaveLength(2);
    expect(root.querySelectorAll('[class=item]')).toHaveLength(2);
    expect(root.querySelectorAll('*')).toHaveLength(5);
  });

  it('match alternatives in document order and descendant combinators', () => {
    const { root, target } = tree();
    expect(root.querySelectorAll('span, p').map((n) => n.tagName)).toEqual(['p', 'span']);
    expect(root.querySelectorAll('#list .x')).toEqual([target]);
    expect(root.querySelectorAll('.root li span')).toEqual([target]);
    expect(root.querySelectorAll('p span')).toEqual([]);
  });

  it('find the closest matching ancestor', () => {
    const { root, target } = tree();
    expect(target.closest('ul')?.idList.has('list')).toBe(true);
    expect(target.closest('span')).toBe(target);
    expect(target.closest('.root')).toBe(root);
    expect(target.closest('table')).toBeNull();
    expect(target.matches('li > span'.replace(' > ', ' '))).toBe(true);
  });

  it('refuse unsupported syntax with a coded error naming the selector', () => {
    const { root } = tree();
    for (const selector of [
      'li > span',
      'p + p',
      'p ~ p',
      'a:hover',
      'p::before',
      '[a^=b]',
      'p,',
      '',
    ]) {
      expect(() => root.querySelector(selector), selector).toThrow(
        expect.objectContaining({ code: 'LONA_ERR_HTML_BAD_SELECTOR' }),
      );
    }
    expect(() => root.querySelectorAll('ul > li')).toThrow(
      /Unsupported selector 'ul > li'.*'>' combinator/,
    );
  });
});
