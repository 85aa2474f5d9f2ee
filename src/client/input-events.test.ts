// @vitest-environment happy-dom
// (happy-dom must not load pages when a link or form is left to the browser)
// @vitest-environment-options {"settings": {"navigation": {"disableMainFrameNavigation": true, "disableFallbackToSetURL": true, "disableChildPageNavigation": true}}}
import { describe, it, expect, afterEach, vi } from 'vitest';
import type { SerializedNode } from '../protocol/nodes.js';
import { DomView } from './dom-view.js';
import { el, raw, text } from './test-nodes.js';

type Sent = [name: string, nodeId: string, targetNodeId: string | null, data: unknown];

function setup(tree: SerializedNode) {
  const root = document.createElement('div');
  document.body.append(root);
  const sent: Sent[] = [];
  const navigations: unknown[][] = [];
  const view = new DomView(root, {
    send: (...args) => sent.push(args),
    navigate: (...args) => navigations.push(args),
  });
  view.renderTree(tree);
  const node = <T extends Element = HTMLElement>(id: string) => view.getNode(id) as T;
  return { root, view, sent, navigations, node };
}

function click(target: Element, init: MouseEventInit = {}): MouseEvent {
  const event = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0, ...init });
  target.dispatchEvent(event);
  return event;
}

function fire(target: Element, type: 'input' | 'change') {
  target.dispatchEvent(new Event(type, { bubbles: true }));
}

afterEach(() => {
  document.body.replaceChildren();
  vi.useRealTimers();
});

describe('clicks', () => {
  const tree = el('1', 'div', {}, [
    el('2', 'div', {}, [el('3', 'span', {}, [el('4', 'b', {}, [text('5', 'x')])])], { click: 0 }),
    el('6', 'button', {}, [el('7', 'i')], { click: 0 }),
    el('8', 'button', { disabled: '' }, [], { click: 0 }),
    raw('9', '<em>raw</em>'),
  ]);

  it('sends the click for the innermost declaring node, with the node under the pointer', () => {
    const { sent, node } = setup(tree);
    click(node('4'), { shiftKey: true });
    expect(sent).toEqual([
      [
        'click',
        '2',
        '4',
        {
          altKey: false,
          ctrlKey: false,
          metaKey: false,
          shiftKey: true,
          width: 0,
          height: 0,
          x: 0,
          y: 0,
        },
      ],
    ]);
  });

  it('lets an inner clickable node win over an outer one', () => {
    const { sent, node } = setup(
      el('1', 'div', {}, [el('2', 'button', {}, [el('3', 'i')], { click: 0 })], { click: 0 }),
    );
    click(node('3'));
    expect(sent.map((s) => s.slice(0, 3))).toEqual([['click', '2', '3']]);
  });

  it('sends nothing for a disabled node nor for a node that declares no click', () => {
    const { sent, node, view } = setup(tree);
    click(node('8'));
    click(view.getNode('9') as Element);
    click(node('1'));
    expect(sent).toEqual([]);
  });

  it('follows the events declared by patches', () => {
    const { sent, node, view } = setup(tree);
    view.applyPatches([['ev', '3', { click: 0 }]]);
    click(node('4'));
    view.applyPatches([
      ['ev', '3', {}],
      ['ev', '2', {}],
    ]);
    click(node('4'));
    expect(sent.map((s) => s.slice(0, 3))).toEqual([['click', '3', '4']]);
  });

  it('prevents the default action of a declared click on a link or button', () => {
    const { node } = setup(el('1', 'div', {}, [el('2', 'a', { href: '/x' }, [], { click: 0 })]));
    const event = new MouseEvent('click', { bubbles: true, cancelable: true });
    node('2').dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('changes', () => {
  const tree = el('f', 'form', {}, [
    el('text', 'input', { type: 'text' }, [], { change: 300 }),
    el('num', 'input', { type: 'number' }, [], { change: 0 }),
    el('box', 'input', { type: 'checkbox' }, [], { change: 0 }),
    el('radio', 'input', { type: 'radio', name: 'r' }, [], { change: 0 }),
    el('area', 'textarea', {}, [], { change: 0 }),
    el(
      'sel',
      'select',
      { multiple: '' },
      [el('g', 'optgroup', {}, [el('o0', 'option'), el('o1', 'option')]), el('o2', 'option')],
      { change: 0 },
    ),
    el(
      'group',
      'div',
      { role: 'radiogroup' },
      [
        el('r0', 'input', { type: 'radio', name: 'g' }),
        el('r1', 'input', { type: 'radio', name: 'g' }),
      ],
      { change: 0 },
    ),
    el('off', 'input', { disabled: '' }, [], { change: 0 }),
  ]);

  it('sends typed values: strings, raw number strings, booleans, option indexes, radio index', () => {
    const { sent, node } = setup(tree);
    node<HTMLInputElement>('num').value = '4.50';
    fire(node('num'), 'change');
    node<HTMLInputElement>('box').checked = true;
    fire(node('box'), 'change');
    node<HTMLInputElement>('radio').checked = true;
    fire(node('radio'), 'change');
    node<HTMLTextAreaElement>('area').value = 'long\ntext';
    fire(node('area'), 'change');
    node<HTMLOptionElement>('o1').selected = true;
    node<HTMLOptionElement>('o2').selected = true;
    fire(node('sel'), 'change');
    node<HTMLInputElement>('r1').checked = true;
    fire(node('r1'), 'change');
    expect(sent).toEqual([
      ['change', 'num', 'num', '4.50'],
      ['change', 'box', 'box', true],
      ['change', 'radio', 'radio', true],
      ['change', 'area', 'area', 'long\ntext'],
      ['change', 'sel', 'sel', [1, 2]],
      ['change', 'group', 'r1', 1],
    ]);
  });

  it('sends -1 for a radio group with no checked radio, and nothing for a disabled input', () => {
    const { sent, node } = setup(tree);
    fire(node('group'), 'change');
    fire(node('off'), 'change');
    expect(sent).toEqual([['change', 'group', 'group', -1]]);
  });

  it('debounces input per node and sends the latest value once', () => {
    vi.useFakeTimers();
    const { sent, node } = setup(tree);
    const input = node<HTMLInputElement>('text');
    for (const value of ['a', 'ab', 'abc']) {
      input.value = value;
      fire(input, 'input');
      vi.advanceTimersByTime(200);
    }
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([['change', 'text', 'text', 'abc']]);
    fire(input, 'change'); // the browser's own change after the debounced send is a repeat
    expect(sent).toHaveLength(1);
  });

  it('sends a pending debounced change at once on the native change event', () => {
    vi.useFakeTimers();
    const { sent, node } = setup(tree);
    const input = node<HTMLInputElement>('text');
    input.value = 'x';
    fire(input, 'input');
    fire(input, 'change');
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([['change', 'text', 'text', 'x']]);
  });

  it('sends an undebounced checkbox once although both input and change fire', () => {
    const { sent, node } = setup(tree);
    node<HTMLInputElement>('box').checked = true;
    fire(node('box'), 'input');
    fire(node('box'), 'change');
    expect(sent).toEqual([['change', 'box', 'box', true]]);
  });

  it('sends pending changes on flushPending', () => {
    vi.useFakeTimers();
    const { sent, node, view } = setup(tree);
    node<HTMLInputElement>('text').value = 'now';
    fire(node('text'), 'input');
    view.flushPending();
    expect(sent).toEqual([['change', 'text', 'text', 'now']]);
  });

  it('drops a pending change of a node that was removed meanwhile', () => {
    vi.useFakeTimers();
    const { sent, node, view } = setup(tree);
    fire(node('text'), 'input');
    view.applyPatches([['rm', 'text']]);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([]);
  });

  it("lets the user's sent value win over a server value kept while focused", () => {
    const { node, view } = setup(tree);
    const input = node<HTMLInputElement>('num');
    input.focus();
    view.applyPatches([['attr', 'num', 'value', '1']]);
    input.value = '2';
    fire(input, 'change');
    input.blur();
    expect(input.value).toBe('2');
  });
});

describe('focus and blur', () => {
  it('sends focus and blur for declaring nodes, after a pending change', () => {
    vi.useFakeTimers();
    const { sent, node } = setup(
      el('1', 'div', {}, [
        el('2', 'input', {}, [], { focus: 0, blur: 0, change: 300 }),
        el('3', 'input'),
      ]),
    );
    node<HTMLInputElement>('2').focus();
    node<HTMLInputElement>('2').value = 'v';
    fire(node('2'), 'input');
    node<HTMLInputElement>('3').focus();
    expect(sent).toEqual([
      ['focus', '2', '2', null],
      ['change', '2', '2', 'v'],
      ['blur', '2', '2', null],
    ]);
  });
});

describe('submit', () => {
  const form = (events?: Record<string, number>, attributes: Record<string, string> = {}) =>
    el('1', 'div', {}, [
      el(
        'f',
        'form',
        attributes,
        [
          el('name', 'input', { name: 'name', value: 'Ada' }, [], { change: 300 }),
          el('t1', 'input', { type: 'checkbox', name: 'tag', value: 'a', checked: '' }),
          el('t2', 'input', { type: 'checkbox', name: 'tag', value: 'b', checked: '' }),
          el('go', 'button', { type: 'submit' }, [text('gt', 'Go')]),
        ],
        events,
      ),
    ]);

  it('sends the form fields after its pending debounced changes, without navigating', () => {
    vi.useFakeTimers();
    const { sent, node, navigations } = setup(form({ submit: 0 }));
    node<HTMLInputElement>('name').value = 'Grace';
    fire(node('name'), 'input');
    node<HTMLFormElement>('f').requestSubmit(node<HTMLButtonElement>('go'));
    expect(sent).toEqual([
      ['change', 'name', 'name', 'Grace'],
      ['submit', 'f', 'go', { name: 'Grace', tag: ['a', 'b'] }],
    ]);
    expect(navigations).toEqual([]);
  });

  it('navigates a GET form to action?query', () => {
    const { node, navigations, sent } = setup(form(undefined, { action: '/search?old=1' }));
    node<HTMLFormElement>('f').requestSubmit();
    expect(navigations).toEqual([['http://localhost:3000/search?name=Ada&tag=a&tag=b', 'GET']]);
    expect(sent).toEqual([]);
  });

  it('navigates a POST form with its fields', () => {
    const { node, navigations } = setup(form(undefined, { method: 'post', action: '/save' }));
    node<HTMLFormElement>('f').requestSubmit();
    expect(navigations).toEqual([
      ['http://localhost:3000/save', 'POST', { name: 'Ada', tag: ['a', 'b'] }],
    ]);
  });

  it('leaves multipart, targeted, file and foreign forms to the browser', () => {
    const cases: Record<string, string>[] = [
      { method: 'post', enctype: 'multipart/form-data' },
      { target: '_blank' },
      { action: 'https://elsewhere.example/' },
    ];
    for (const attributes of cases) {
      const { node, navigations } = setup(form(undefined, attributes));
      node<HTMLFormElement>('f').requestSubmit();
      expect(navigations).toEqual([]);
    }
    const { node, navigations, view } = setup(form());
    view.applyPatches([['ins', 'f', null, el('file', 'input', { type: 'file', name: 'f' })]]);
    node<HTMLFormElement>('f').requestSubmit();
    expect(navigations).toEqual([]);
  });
});

describe('links', () => {
  function link(attributes: Record<string, string>, init?: MouseEventInit) {
    const { node, navigations } = setup(
      el('1', 'div', {}, [el('a', 'a', attributes, [el('s', 'span')])]),
    );
    const event = click(node('s'), init);
    return { navigations, event };
  }

  it('navigates inside the app on a plain click on a same-origin link', () => {
    const { navigations, event } = link({ href: '/next?x=1' });
    expect(navigations).toEqual([['http://localhost:3000/next?x=1', 'GET']]);
    expect(event.defaultPrevented).toBe(true);
  });

  it('leaves other links and clicks to the browser', () => {
    const cases: [Record<string, string>, MouseEventInit?][] = [
      [{ href: '/x', target: '_blank' }],
      [{ href: '/x', download: '' }],
      [{ href: '/x', 'data-lona-ignore': '' }],
      [{ href: 'https://elsewhere.example/x' }],
      [{ href: '#section' }],
      [{ href: '/x' }, { ctrlKey: true }],
      [{ href: '/x' }, { button: 1 }],
    ];
    for (const [attributes, init] of cases) expect(link(attributes, init).navigations).toEqual([]);
    expect(link({ href: '/x', target: '_self' }).navigations).toHaveLength(1);
  });

  it('follows a link inside a clickable node instead of sending the click', () => {
    const { node, navigations, sent } = setup(
      el('1', 'div', {}, [el('a', 'a', { href: '/x' }, [el('s', 'span')])], { click: 0 }),
    );
    click(node('s'));
    expect(navigations).toHaveLength(1);
    expect(sent).toEqual([]);
  });
});
