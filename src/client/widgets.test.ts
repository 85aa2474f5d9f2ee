// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest';
import { DomView } from './dom-view.js';
import { el, text } from './test-nodes.js';
import { checkCustomEvent, WidgetRegistry, type WidgetApi } from './widgets.js';

function setup() {
  const log: unknown[][] = [];
  const sent: unknown[][] = [];
  const errors: string[] = [];
  let api: WidgetApi | undefined;
  const registry = new WidgetRegistry();
  registry.register(
    'Chart',
    class {
      constructor(root: Element, data: unknown, widgetApi: WidgetApi) {
        api = widgetApi;
        log.push(['new', root.id, structuredClone(data), root.isConnected]);
      }
      onDataUpdated(data: unknown) {
        log.push(['data', structuredClone(data)]);
      }
      destroy() {
        log.push(['destroy']);
      }
    },
  );
  registry.register(
    'Broken',
    class {
      constructor() {
        throw new Error('boom');
      }
    },
  );
  const root = document.createElement('div');
  document.body.append(root);
  const view = new DomView(root, {
    send: (...args) => sent.push(args),
    onError: (error) => errors.push(error.message),
    widgets: registry,
  });
  return { view, log, sent, errors, api: () => api! };
}

afterEach(() => document.body.replaceChildren());

describe('widgets', () => {
  it('constructs a widget after its node is in the document, with its data', () => {
    const { view, log } = setup();
    view.renderTree(el('1', 'div', {}, [el('2', 'div', { id: 'c' }, [], {}, ['Chart', { n: 1 }])]));
    expect(log).toEqual([['new', 'c', { n: 1 }, true]]);
  });

  it('constructs a widget inserted by a patch at the end of the batch', () => {
    const { view, log } = setup();
    view.renderTree(el('1', 'div'));
    view.applyPatches([
      ['ins', '1', null, el('2', 'div', { id: 'c' }, [], {}, ['Chart', [1]])],
      ['wd', '2', [1], 2],
    ]);
    expect(log).toEqual([['new', 'c', [1, 2], true]]);
  });

  it('calls onDataUpdated once per batch after key-path sets and deletes', () => {
    const { view, log } = setup();
    view.renderTree(el('1', 'div', {}, [], {}, ['Chart', { a: { b: 1 }, list: [1, 2, 3] }]));
    view.applyPatches([
      ['wd', '1', ['a', 'b'], 2],
      ['wd', '1', ['a', 'c'], 3],
      ['wd-', '1', ['list', 1]],
    ]);
    view.applyPatches([['wd-', '1', ['a', 'b']]]);
    view.applyPatches([['wd', '1', [], 'whole']]);
    expect(log.slice(1)).toEqual([
      ['data', { a: { b: 2, c: 3 }, list: [1] }],
      ['data', { a: { c: 3 }, list: [1] }],
      ['data', 'whole'],
    ]);
  });

  it('destroys the widget when its node, an ancestor or the whole tree goes', () => {
    const { view, log } = setup();
    view.renderTree(
      el('1', 'div', {}, [el('2', 'div', {}, [el('3', 'p', {}, [], {}, ['Chart', 0])])]),
    );
    view.applyPatches([['rm', '2']]);
    expect(log.map((entry) => entry[0])).toEqual(['new', 'destroy']);
    view.applyPatches([['ins', '1', null, el('4', 'p', {}, [], {}, ['Chart', 0])]]);
    view.applyPatches([['clr', '1']]);
    view.applyPatches([['ins', '1', null, el('5', 'p', {}, [], {}, ['Chart', 0])]]);
    view.renderTree(el('9', 'div'));
    expect(log.map((entry) => entry[0])).toEqual([
      'new',
      'destroy',
      'new',
      'destroy',
      'new',
      'destroy',
    ]);
  });

  it('attaches, updates, replaces and detaches through SET_WIDGET', () => {
    const { view, log, errors } = setup();
    view.renderTree(el('1', 'div', { id: 'c' }));
    view.applyPatches([['wdg', '1', ['Chart', 1]]]);
    view.applyPatches([['wdg', '1', ['Chart', 2]]]);
    view.applyPatches([['wdg', '1', ['Broken', 3]]]);
    view.applyPatches([['wdg', '1', null]]);
    expect(log).toEqual([['new', 'c', 1, true], ['data', 2], ['destroy']]);
    expect(errors).toEqual(["Widget 'Broken' failed: boom"]);
  });

  it('reports an unknown widget class without breaking the render', () => {
    const { view, errors } = setup();
    view.renderTree(el('1', 'div', {}, [text('2', 'ok')], {}, ['Missing', null]));
    expect(view.root.innerHTML).toBe('<div>ok</div>');
    expect(errors).toEqual(["Unknown widget 'Missing': call Lona.registerWidget first"]);
  });

  it('sends a custom event for its node with fireEvent', () => {
    const { view, sent, api } = setup();
    view.renderTree(el('1', 'div', {}, [], {}, ['Chart', null]));
    api().fireEvent('picked', { x: 1 });
    expect(sent).toEqual([['picked', '1', '1', { x: 1 }]]);
    expect(() => api().fireEvent('bad name', 1)).toThrow(/Invalid event name/);
  });
});

describe('checkCustomEvent', () => {
  it('refuses data that is not JSON, too large or too deep', () => {
    expect(() => checkCustomEvent('ok', undefined)).toThrow(/JSON/);
    expect(() => checkCustomEvent('ok', 'x'.repeat(70_000))).toThrow(/larger than/);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(() => checkCustomEvent('ok', deep)).toThrow(/deeper than/);
    expect(() => checkCustomEvent('ok', { a: [1, 'b'] })).not.toThrow();
  });
});
