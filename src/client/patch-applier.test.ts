// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest';
import type { Patch } from '../protocol/patches.js';
import { DomView } from './dom-view.js';
import { parseStyle } from './patch-applier.js';
import { el, raw, text } from './test-nodes.js';

function setup() {
  const root = document.createElement('div');
  document.body.append(root);
  const errors: Error[] = [];
  const view = new DomView(root, { send: () => {}, onError: (error) => errors.push(error) });
  view.renderTree(
    el('r', 'div', {}, [
      el('a', 'p', { class: 'x' }, [text('at', 'A')]),
      raw('raw', '<i>1</i><i>2</i>'),
      el('b', 'p', {}, [text('bt', 'B')]),
    ]),
  );
  const apply = (...patches: Patch[]) => view.applyPatches(patches);
  return { root, view, errors, apply, html: () => root.innerHTML };
}

afterEach(() => document.body.replaceChildren());

describe('applyPatches', () => {
  it('sets the text of a text node', () => {
    const { apply, html } = setup();
    apply(['text', 'at', 'A2']);
    expect(html()).toBe('<div><p class="x">A2</p><i>1</i><i>2</i><p>B</p></div>');
  });

  it('replaces the markup of a RawHtml, which stays addressable', () => {
    const { apply, html, view } = setup();
    apply(['text', 'raw', '<u>3</u>']);
    apply(['ins', 'r', 'raw', el('c', 'hr')]);
    expect(html()).toBe('<div><p class="x">A</p><hr><u>3</u><p>B</p></div>');
    expect(view.getNode('raw')).toBe(view.root.querySelector('u'));
  });

  it('inserts a subtree at the end or before a sibling id (RawHtml included)', () => {
    const { apply, html } = setup();
    apply(
      ['ins', 'r', null, el('c', 'span', {}, [text('ct', 'C')])],
      ['ins', 'r', 'a', text('t0', 'first')],
      ['ins', 'r', 'raw', el('d', 'br')],
    );
    expect(html()).toBe(
      '<div>first<p class="x">A</p><br><i>1</i><i>2</i><p>B</p><span>C</span></div>',
    );
  });

  it('removes a node with its subtree and forgets their ids', () => {
    const { apply, html } = setup();
    apply(['rm', 'a'], ['rm', 'raw']);
    expect(html()).toBe('<div><p>B</p></div>');
    expect(() => apply(['text', 'at', 'gone'])).toThrow(/Unknown node id 'at'/);
    expect(() => apply(['ins', 'r', 'raw', text('z', 'z')])).toThrow(/Unknown node id 'raw'/);
  });

  it('moves a node (and a RawHtml) to another place', () => {
    const { apply, html } = setup();
    apply(['mv', 'b', 'r', 'a'], ['mv', 'raw', 'a', null]);
    expect(html()).toBe('<div><p>B</p><p class="x">A<i>1</i><i>2</i></p></div>');
  });

  it('clears every child of a node and forgets them', () => {
    const { apply, html } = setup();
    apply(['clr', 'r']);
    expect(html()).toBe('<div></div>');
    expect(() => apply(['rm', 'b'])).toThrow(/Unknown node id 'b'/);
  });

  it('sets and removes attributes', () => {
    const { apply, view } = setup();
    apply(['attr', 'b', 'title', 'hi'], ['attr', 'b', 'hidden', ''], ['rmattr', 'a', 'class']);
    expect(view.root.innerHTML).toBe(
      '<div><p>A</p><i>1</i><i>2</i><p title="hi" hidden="">B</p></div>',
    );
  });

  it('reports an unsafe attribute and does not apply it', () => {
    const { apply, view, errors } = setup();
    apply(['attr', 'b', 'onclick', 'x()'], ['attr', 'b', 'title', 'ok']);
    expect(view.getNode('b')).toHaveProperty('outerHTML', '<p title="ok">B</p>');
    expect(errors).toHaveLength(1);
  });

  it('adds and removes classes and ids, dropping the attribute when empty', () => {
    const { apply, html } = setup();
    apply(
      ['cls+', 'a', 'y'],
      ['cls+', 'a', 'y'],
      ['cls-', 'a', 'x'],
      ['id+', 'b', 'one'],
      ['id+', 'b', 'two'],
      ['id-', 'b', 'one'],
    );
    expect(html()).toBe('<div><p class="y">A</p><i>1</i><i>2</i><p id="two">B</p></div>');
    apply(['cls-', 'a', 'y'], ['id-', 'b', 'two']);
    expect(html()).toBe('<div><p>A</p><i>1</i><i>2</i><p>B</p></div>');
  });

  it('writes styles in the server format, keeping order and custom properties', () => {
    const { apply, view } = setup();
    const b = view.getNode('b') as Element;
    apply(
      ['sty', 'b', 'color', 'red'],
      ['sty', 'b', '--gap', '2px'],
      ['sty', 'b', 'color', 'blue'],
    );
    expect(b.getAttribute('style')).toBe('color: blue; --gap: 2px');
    apply(['sty', 'b', 'background', 'url("data:image/png;base64,AA")'], ['rmsty', 'b', 'color']);
    expect(b.getAttribute('style')).toBe('--gap: 2px; background: url("data:image/png;base64,AA")');
    apply(['rmsty', 'b', '--gap'], ['rmsty', 'b', 'background']);
    expect(b.hasAttribute('style')).toBe(false);
  });

  it('replaces the declared events of a node', () => {
    const { apply, view } = setup();
    apply(['ev', 'a', { click: 0 }]);
    expect(view.map.events('a')).toEqual({ click: 0 });
    apply(['ev', 'a', {}]);
    expect(view.map.events('a')).toBeUndefined();
  });

  it('throws a descriptive error on an unknown node id, naming the patch', () => {
    const { apply } = setup();
    expect(() => apply(['attr', 'nope', 'title', 'x'])).toThrow(
      `Unknown node id 'nope' in patch ["attr","nope","title","x"]`,
    );
    expect(() => apply(['cls+', 'at', 'x'])).toThrow(/not an element/);
    expect(() => apply(['xx', 'a'] as unknown as Patch)).toThrow(/Unknown patch operation 'xx'/);
  });
});

describe('input values', () => {
  function inputs() {
    const root = document.createElement('div');
    document.body.append(root);
    const view = new DomView(root, { send: () => {} });
    view.renderTree(
      el('f', 'form', {}, [
        el('i', 'input', { value: 'a' }),
        el('c', 'input', { type: 'checkbox' }),
        el('s', 'select', {}, [el('o1', 'option', { selected: '' }), el('o2', 'option')]),
        el('t', 'textarea', {}, [text('tt', 'x')]),
        el('other', 'input'),
      ]),
    );
    const get = <T>(id: string) => view.getNode(id) as T;
    return { view, get, apply: (...patches: Patch[]) => view.applyPatches(patches) };
  }

  it('sets the value, checked and selected properties too, even after the user typed', () => {
    const { get, apply } = inputs();
    get<HTMLInputElement>('i').value = 'typed';
    apply(
      ['attr', 'i', 'value', 'server'],
      ['attr', 'c', 'checked', ''],
      ['attr', 'o2', 'selected', ''],
    );
    apply(['rmattr', 'o1', 'selected']);
    expect(get<HTMLInputElement>('i').value).toBe('server');
    expect(get<HTMLInputElement>('c').checked).toBe(true);
    expect(get<HTMLSelectElement>('s').selectedIndex).toBe(1);
    apply(['rmattr', 'c', 'checked'], ['rmattr', 'i', 'value']);
    expect(get<HTMLInputElement>('c').checked).toBe(false);
    expect(get<HTMLInputElement>('i').value).toBe('');
  });

  it('keeps the value of a focused input and applies the server value on blur', () => {
    const { get, apply } = inputs();
    const input = get<HTMLInputElement>('i');
    input.focus();
    input.value = 'typing';
    apply(['attr', 'i', 'value', 'server']);
    expect(input.getAttribute('value')).toBe('server');
    expect(input.value).toBe('typing');
    get<HTMLInputElement>('other').focus();
    expect(input.value).toBe('server');
  });

  it('keeps the selection the user made in a focused select until blur', () => {
    const { get, apply } = inputs();
    const select = get<HTMLSelectElement>('s');
    select.focus();
    get<HTMLOptionElement>('o1').selected = true; // the user's choice
    apply(['attr', 'o2', 'selected', '']);
    expect(select.selectedIndex).toBe(0);
    select.blur();
    expect(select.selectedIndex).toBe(1);
  });

  it('updates a textarea value when its text changes, with the same focus rule', () => {
    const { get, apply } = inputs();
    const textarea = get<HTMLTextAreaElement>('t');
    textarea.value = 'user';
    apply(['text', 'tt', 'server']);
    expect(textarea.value).toBe('server');
    textarea.focus();
    textarea.value = 'typing';
    apply(['text', 'tt', 'later']);
    expect(textarea.value).toBe('typing');
    textarea.blur();
    expect(textarea.value).toBe('later');
  });
});

describe('parseStyle', () => {
  it('splits at semicolons outside quotes and parentheses', () => {
    expect([...parseStyle('a: 1; b: url("x;y"); c: \'p;q\'; ;d:e')]).toEqual([
      ['a', '1'],
      ['b', 'url("x;y")'],
      ['c', "'p;q'"],
      ['d', 'e'],
    ]);
  });
});
