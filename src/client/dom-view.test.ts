// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest';
import { DomView } from './dom-view.js';
import { el, text } from './test-nodes.js';

function setup() {
  const root = document.createElement('div');
  document.body.append(root);
  const sent: unknown[][] = [];
  const view = new DomView(root, { send: (...args) => sent.push(args) });
  return { root, view, sent };
}

afterEach(() => document.body.replaceChildren());

describe('DomView', () => {
  it('keeps focus, the typed value and the caret when a resync renders the same node', () => {
    const { view } = setup();
    const tree = el('1', 'div', {}, [el('2', 'input', { value: 'server' })]);
    view.renderTree(tree);
    const old = view.getNode('2') as HTMLInputElement;
    old.focus();
    old.value = 'typed';
    old.setSelectionRange(2, 2);
    view.renderTree(tree);
    const input = view.getNode('2') as HTMLInputElement;
    expect(input).not.toBe(old);
    expect(document.activeElement).toBe(input);
    expect(input.value).toBe('typed');
    expect(input.selectionStart).toBe(2);
  });

  it('clears the root and forgets the tree', () => {
    const { root, view } = setup();
    view.renderTree(el('1', 'p', {}, [text('2', 'x')]));
    view.clear();
    expect(root.innerHTML).toBe('');
    expect(view.getNode('1')).toBeUndefined();
  });

  it('stops sending events once destroyed', () => {
    const { view, sent } = setup();
    view.renderTree(el('1', 'button', {}, [], { click: 0 }));
    const button = view.getNode('1') as HTMLButtonElement;
    button.click();
    view.destroy();
    button.click();
    expect(sent).toHaveLength(1);
  });

  it('works with a document that is not the global one', () => {
    const doc = document.implementation.createHTMLDocument('other');
    const root = doc.createElement('div');
    doc.body.append(root);
    const view = new DomView(root, { send: () => {} });
    view.renderTree(el('1', 'svg', {}, [el('2', 'circle')]));
    expect((view.getNode('2') as Element).ownerDocument).toBe(doc);
  });
});
