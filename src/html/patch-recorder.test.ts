import { describe, expect, it } from 'vitest';
import { LonaError } from '../errors.js';
import { NODE_TYPE } from '../protocol/nodes.js';
import { PATCH_OP as OP } from '../protocol/patches.js';
import { HTML } from './fragment.js';
import { CheckBox } from './nodes/forms/check-box.js';
import { NumberInput } from './nodes/forms/number-input.js';
import { RadioButton, RadioGroup } from './nodes/forms/radio.js';
import { Option, Select } from './nodes/forms/select.js';
import { TextArea, TextInput } from './nodes/forms/text-input.js';
import { Div, Li, P, Ul } from './nodes/grouping.js';
import { Span } from './nodes/text-level.js';
import { PatchRecorder } from './patch-recorder.js';
import { RawHtml } from './raw-html.js';
import type { TextNode } from './text-node.js';

function shown<T extends Div | HTML>(root: T): { root: T; rec: PatchRecorder } {
  return { root, rec: new PatchRecorder(root) };
}

describe('PatchRecorder', () => {
  describe('content patches', () => {
    it('sends one SET_TEXT when the only text child of a node changes', () => {
      const span = new Span('0');
      const { rec } = shown(new Div(span));
      span.setText(1);
      const text = span.nodes.at(0) as TextNode;
      expect(rec.flush().patches).toEqual([[OP.SET_TEXT, text.nodeId, '1']]);
    });

    it('records nothing when a value is set to what it already is', () => {
      const div = new Div({ class: 'a', title: 't', style: { color: 'red' } }, 'x');
      const { rec } = shown(new Div(div));
      div.setText('x');
      div.classList.add('a');
      div.attributes.set('title', 't');
      div.style.set('color', 'red');
      div.classList.remove('missing');
      div.attributes.delete('missing');
      expect(rec.flush().patches).toEqual([]);
    });

    it('keeps only the last of several writes to the same key', () => {
      const span = new Span('0');
      const { rec } = shown(new Div(span));
      span.setText('1');
      span.setText('2');
      span.attributes.set('title', 'a');
      span.attributes.set('title', 'b');
      const textId = (span.nodes.at(0) as TextNode).nodeId;
      expect(rec.flush().patches).toEqual([
        [OP.SET_TEXT, textId, '2'],
        [OP.SET_ATTRIBUTE, span.nodeId, 'title', 'b'],
      ]);
    });

    it('sends one REMOVE_ATTRIBUTE for an attribute that was set and then removed', () => {
      const div = new Div({ title: 'old' });
      const { rec } = shown(new Div(div));
      div.attributes.set('title', 'new');
      div.attributes.delete('title');
      expect(rec.flush().patches).toEqual([[OP.REMOVE_ATTRIBUTE, div.nodeId, 'title']]);
    });

    it('drops a change that ends where the client already is', () => {
      const div = new Div({ class: 'a' });
      const { rec } = shown(new Div(div));
      div.classList.remove('a');
      div.classList.add('a');
      div.attributes.set('title', 'x');
      div.attributes.delete('title');
      div.style.set('color', 'red');
      div.style.delete('color');
      expect(rec.flush().patches).toEqual([]);
    });

    it('sends attribute, class, id, style, events and boolean attribute patches', () => {
      const div = new Div({ id: 'a', class: 'x', style: 'color: red', title: 't' });
      const { rec } = shown(new Div(div));
      div.attributes.set('hidden', true);
      div.attributes.set('title', 'u');
      div.attributes.set('tabindex', 3);
      div.classList.add('y');
      div.classList.remove('x');
      div.idList.add('b');
      div.idList.remove('a');
      div.style.set('--gap', '4px');
      div.style.delete('color');
      div.events.add('click');
      const id = div.nodeId;
      expect(rec.flush().patches).toEqual([
        [OP.SET_ATTRIBUTE, id, 'hidden', ''],
        [OP.SET_ATTRIBUTE, id, 'title', 'u'],
        [OP.SET_ATTRIBUTE, id, 'tabindex', '3'],
        [OP.ADD_CLASS, id, 'y'],
        [OP.REMOVE_CLASS, id, 'x'],
        [OP.ADD_ID, id, 'b'],
        [OP.REMOVE_ID, id, 'a'],
        [OP.SET_STYLE, id, '--gap', '4px'],
        [OP.REMOVE_STYLE, id, 'color'],
        [OP.SET_EVENTS, id, { click: 0 }],
      ]);
    });

    it('sends hide() and show() as display style patches', () => {
      const div = new Div();
      const { rec } = shown(new Div(div));
      div.hide();
      expect(rec.flush().patches).toEqual([[OP.SET_STYLE, div.nodeId, 'display', 'none']]);
      div.show();
      expect(rec.flush().patches).toEqual([[OP.REMOVE_STYLE, div.nodeId, 'display']]);
    });

    it('sends a RawHtml markup change as SET_TEXT', () => {
      const raw = new RawHtml('<b>a</b>');
      const { rec } = shown(new Div(raw));
      raw.html = '<i>b</i>';
      expect(rec.flush().patches).toEqual([[OP.SET_TEXT, raw.nodeId, '<i>b</i>']]);
    });

    it('flushes an empty batch when nothing changed', () => {
      const { rec } = shown(new Div('x'));
      expect(rec.flush()).toEqual({ patches: [], origins: null });
    });
  });

  describe('structure patches', () => {
    it('inserts an appended subtree once, serialized with its state at flush', () => {
      const { root, rec } = shown(new Div());
      const ul = new Ul();
      root.append(ul);
      const li = new Li('a');
      ul.append(li);
      li.classList.add('late');
      expect(rec.flush().patches).toEqual([
        [
          OP.INSERT,
          root.nodeId,
          null,
          [
            NODE_TYPE.ELEMENT,
            ul.nodeId,
            'ul',
            {},
            [
              [
                NODE_TYPE.ELEMENT,
                li.nodeId,
                'li',
                { class: 'late' },
                [[NODE_TYPE.TEXT, (li.nodes.at(0) as TextNode).nodeId, 'a']],
              ],
            ],
          ],
        ],
      ]);
    });

    it('inserts before the next child that stays', () => {
      const a = new P('a');
      const c = new P('c');
      const { root, rec } = shown(new Div(a, c));
      const b = new P('b');
      root.insert(1, b);
      const d = new P('d');
      root.append(d);
      const patches = rec.flush().patches;
      expect(patches.map((p) => p.slice(0, 3))).toEqual([
        [OP.INSERT, root.nodeId, c.nodeId],
        [OP.INSERT, root.nodeId, null],
      ]);
    });

    it('appends children to a shown list as one INSERT each, in order', () => {
      const { root, rec } = shown(new Ul());
      const items = [new Li('1'), new Li('2'), new Li('3')];
      for (const item of items) root.append(item);
      const patches = rec.flush().patches;
      expect(patches.map((p) => [p[0], p[1], p[2], (p[3] as [number, string])[1]])).toEqual(
        items.map((item) => [OP.INSERT, root.nodeId, null, item.nodeId]),
      );
    });

    it('skips patches to nodes inserted in the same batch', () => {
      const { root, rec } = shown(new Div());
      const span = new Span('x');
      root.append(span);
      span.setText('y');
      span.attributes.set('title', 't');
      const patches = rec.flush().patches;
      expect(patches).toHaveLength(1);
      expect(patches[0]?.[0]).toBe(OP.INSERT);
      expect((patches[0] as unknown[])[3]).toEqual([
        NODE_TYPE.ELEMENT,
        span.nodeId,
        'span',
        { title: 't' },
        [[NODE_TYPE.TEXT, (span.nodes.at(0) as TextNode).nodeId, 'y']],
      ]);
    });

    it('sends nothing for a node inserted and removed in the same batch', () => {
      const { root, rec } = shown(new Div());
      const span = new Span('x');
      root.append(span);
      span.remove();
      expect(rec.flush().patches).toEqual([]);
    });

    it('removes a child by id', () => {
      const a = new P('a');
      const b = new P('b');
      const { root, rec } = shown(new Div(a, b));
      root.nodes.remove(a);
      expect(rec.flush().patches).toEqual([[OP.REMOVE, a.nodeId]]);
    });

    it('sends one CLEAR for clear()', () => {
      const { root, rec } = shown(new Div(new P('a'), new P('b'), new P('c')));
      root.nodes.clear();
      expect(rec.flush().patches).toEqual([[OP.CLEAR, root.nodeId]]);
    });

    it('sends CLEAR then INSERT when a list is rebuilt', () => {
      const { root, rec } = shown(new Div(new P('a'), new P('b')));
      root.nodes.clear();
      const c = new P('c');
      root.append(c);
      const patches = rec.flush().patches;
      expect(patches.map((p) => p.slice(0, 3))).toEqual([
        [OP.CLEAR, root.nodeId],
        [OP.INSERT, root.nodeId, null],
      ]);
    });

    it('replaces children by a text node for setText on an element with other children', () => {
      const span = new Span('x');
      const { root, rec } = shown(new Div(span));
      root.setText('plain');
      const text = root.nodes.at(0) as TextNode;
      expect(rec.flush().patches).toEqual([
        [OP.REMOVE, span.nodeId],
        [OP.INSERT, root.nodeId, null, [NODE_TYPE.TEXT, text.nodeId, 'plain']],
      ]);
    });

    it('moves a mounted node with one MOVE when it is inserted elsewhere', () => {
      const item = new Li('x');
      const from = new Ul(item);
      const to = new Ul();
      const { root, rec } = shown(new Div(from, to));
      to.append(item);
      expect(rec.flush().patches).toEqual([[OP.MOVE, item.nodeId, to.nodeId, null]]);
      expect(root.toString()).toBe('<div><ul></ul><ul><li>x</li></ul></div>');
    });

    it('reorders with the fewest moves', () => {
      const items = ['a', 'b', 'c', 'd'].map((t) => new Li(t));
      const { root, rec } = shown(new Ul(items));
      root.insert(0, items[3] as Li); // d a b c
      expect(rec.flush().patches).toEqual([
        [OP.MOVE, (items[3] as Li).nodeId, root.nodeId, (items[0] as Li).nodeId],
      ]);
    });

    it('keeps the patches of a moved node', () => {
      const item = new Li('x');
      const to = new Ul();
      const { rec } = shown(new Div(new Ul(item), to));
      item.classList.add('moved');
      to.append(item);
      expect(rec.flush().patches).toEqual([
        [OP.ADD_CLASS, item.nodeId, 'moved'],
        [OP.MOVE, item.nodeId, to.nodeId, null],
      ]);
    });

    it('moves a shown node out of a removed subtree before removing it', () => {
      const keep = new Span('keep');
      const gone = new Div(keep);
      const { root, rec } = shown(new Div(gone));
      gone.remove();
      root.append(keep);
      expect(rec.flush().patches).toEqual([
        [OP.MOVE, keep.nodeId, root.nodeId, null],
        [OP.REMOVE, gone.nodeId],
      ]);
    });

    it('moves a shown node into a new subtree right after inserting it', () => {
      const keep = new Span('keep');
      const { root, rec } = shown(new Div(keep));
      const box = new Div(new P('p'));
      root.append(box);
      box.append(keep);
      const patches = rec.flush().patches;
      expect(patches.map((p) => p.slice(0, 3))).toEqual([
        [OP.INSERT, root.nodeId, null],
        [OP.MOVE, keep.nodeId, box.nodeId],
      ]);
      expect((patches[1] as unknown[])[3]).toBeNull();
      // the inserted subtree leaves the moved node out
      expect(JSON.stringify(patches[0])).not.toContain(`"${keep.nodeId}"`);
    });

    it('keeps a node removed and inserted again in one batch, with its changes', () => {
      const span = new Span('x');
      const p = new P();
      const { root, rec } = shown(new Div(span, p));
      span.remove();
      span.setText('y');
      root.insert(0, span);
      const text = (span.nodes.at(0) as TextNode).nodeId;
      expect(rec.flush().patches).toEqual([[OP.SET_TEXT, text, 'y']]);
      span.remove();
      root.append(span);
      expect(rec.flush().patches).toEqual([[OP.MOVE, p.nodeId, root.nodeId, span.nodeId]]);
    });

    it('forgets removed nodes, so later changes to them record nothing', () => {
      const span = new Span('x');
      const { root, rec } = shown(new Div(span));
      span.remove();
      rec.flush();
      span.setText('y');
      expect(rec.flush().patches).toEqual([]);
      root.append(span);
      expect(rec.flush().patches[0]?.[0]).toBe(OP.INSERT);
    });

    it('addresses a fragment root by its id', () => {
      const { root, rec } = shown(new HTML(new P('a')));
      root.append(new P('b'));
      expect(rec.flush().patches[0]?.slice(0, 3)).toEqual([OP.INSERT, root.nodeId, null]);
    });
  });

  describe('widget data', () => {
    it('diffs nested changes into key paths', () => {
      const data = { items: [1, 2], title: 'a', extra: true, text: 'long '.repeat(20) };
      const node = new Div({ widget: 'Chart', widgetData: data });
      const { rec } = shown(new Div(node));
      data.items.push(3);
      data.title = 'b';
      delete (data as Partial<typeof data>).extra;
      expect(rec.flush().patches).toEqual([
        [OP.DELETE_WIDGET_DATA, node.nodeId, ['extra']],
        [OP.SET_WIDGET_DATA, node.nodeId, ['items', 2], 3],
        [OP.SET_WIDGET_DATA, node.nodeId, ['title'], 'b'],
      ]);
      expect(rec.flush().patches).toEqual([]);
    });

    it('truncates arrays with one DELETE and sends a rewritten value whole', () => {
      const node = new Div({ widget: 'W', widgetData: { list: [1, 2, 3, 4] } });
      const { rec } = shown(new Div(node));
      (node.widgetData as { list: number[] }).list.length = 1;
      expect(rec.flush().patches).toEqual([[OP.DELETE_WIDGET_DATA, node.nodeId, ['list', 1]]]);
      node.widgetData = { list: [9, 8, 7, 6, 5] };
      expect(rec.flush().patches).toEqual([
        [OP.SET_WIDGET_DATA, node.nodeId, ['list'], [9, 8, 7, 6, 5]],
      ]);
    });

    it('sends SET_WIDGET when the widget changes and null when it goes', () => {
      const node = new Div();
      const { rec } = shown(new Div(node));
      node.widgetData = { a: 1 };
      node.widget = 'Map';
      expect(rec.flush().patches).toEqual([[OP.SET_WIDGET, node.nodeId, ['Map', { a: 1 }]]]);
      node.widget = null;
      expect(rec.flush().patches).toEqual([[OP.SET_WIDGET, node.nodeId, null]]);
    });
  });

  describe('origins', () => {
    it('tags the patches of a client change with its origin', () => {
      const input = new TextInput({ value: 'a' });
      const span = new Span('x');
      const { rec } = shown(new Div(input, span));
      const tab = {};
      expect(input.applyClientChange('typed', tab)).toBe(true);
      span.setText('y');
      expect(rec.flush()).toEqual({
        patches: [
          [OP.SET_ATTRIBUTE, input.nodeId, 'value', 'typed'],
          [OP.SET_TEXT, (span.nodes.at(0) as TextNode).nodeId, 'y'],
        ],
        origins: [tab, undefined],
      });
    });

    it('sends a server write that follows a client change to every tab', () => {
      const input = new TextInput({ value: 'a' });
      const { rec } = shown(new Div(input));
      input.applyClientChange('typed', {});
      input.value = 'a';
      expect(rec.flush()).toEqual({
        patches: [[OP.SET_ATTRIBUTE, input.nodeId, 'value', 'a']],
        origins: null,
      });
    });

    it('records the value patches of every form node', () => {
      const area = new TextArea({ value: 'a' });
      const number = new NumberInput({ value: 1 });
      const box = new CheckBox();
      const one = new Option({ value: 1 }, 'one');
      const two = new Option({ value: 2 }, 'two');
      const select = new Select(one, two);
      const r1 = new RadioButton({ value: 'x', checked: true });
      const r2 = new RadioButton({ value: 'y' });
      const group = new RadioGroup(r1, r2);
      const { rec } = shown(new Div(area, number, box, select, group));
      area.value = 'b';
      number.value = 2.5;
      box.value = true;
      select.value = 2;
      group.value = 'y';
      expect(rec.flush().patches).toEqual([
        [OP.SET_TEXT, (area.nodes.at(0) as TextNode).nodeId, 'b'],
        [OP.SET_ATTRIBUTE, number.nodeId, 'value', '2.5'],
        [OP.SET_ATTRIBUTE, box.nodeId, 'checked', ''],
        [OP.SET_ATTRIBUTE, two.nodeId, 'selected', ''],
        [OP.REMOVE_ATTRIBUTE, r1.nodeId, 'checked'],
        [OP.SET_ATTRIBUTE, r2.nodeId, 'checked', ''],
      ]);
    });
  });

  describe('attaching', () => {
    it('refuses a root that another live recorder has, and allows it after detach', () => {
      const root = new Div(new P());
      const first = new PatchRecorder(root);
      expect(() => new PatchRecorder(root)).toThrow(
        expect.objectContaining({ code: 'LONA_ERR_HTML_SHOWN_ELSEWHERE' }),
      );
      expect(() => new PatchRecorder(root.nodes.at(0) as P)).toThrow(LonaError);
      first.detach();
      expect(() => new PatchRecorder(root)).not.toThrow();
    });

    it('refuses to insert a shown root into another tree', () => {
      const shownRoot = new Div();
      new PatchRecorder(shownRoot);
      expect(() => new Div().append(shownRoot)).toThrow(
        expect.objectContaining({ code: 'LONA_ERR_HTML_SHOWN_ELSEWHERE' }),
      );
    });

    it('stops recording after detach', () => {
      const span = new Span('x');
      const { rec } = shown(new Div(span));
      rec.detach();
      span.setText('y');
      expect(rec.flush().patches).toEqual([]);
    });

    it('serializes the whole tree, and refuses while patches are pending', () => {
      const { root, rec } = shown(new Div('a'));
      expect(rec.serializeTree()[2]).toBe('div');
      root.append('b');
      expect(() => rec.serializeTree()).toThrow(
        expect.objectContaining({ code: 'LONA_ERR_HTML_RECORDER_PENDING' }),
      );
      rec.flush();
      expect(rec.serializeTree()[4]).toHaveLength(2);
    });
  });
});
