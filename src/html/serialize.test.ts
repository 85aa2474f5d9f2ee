import { describe, expect, it } from 'vitest';
import { NODE_TYPE } from '../protocol/nodes.js';
import { HTML } from './fragment.js';
import { Button } from './nodes/forms/elements.js';
import { Div } from './nodes/grouping.js';
import { RawHtml } from './raw-html.js';
import { FRAGMENT_TAG, serializeNode } from './serialize.js';
import type { TextNode } from './text-node.js';

describe('serializeNode', () => {
  it('puts id, class and style into the attributes and leaves empty trailing fields out', () => {
    const div = new Div(
      { id: 'a b', class: 'x', style: { color: 'red' }, disabled: true, title: 't' },
      'hi',
    );
    const text = div.nodes.at(0) as TextNode;
    expect(serializeNode(div)).toEqual([
      NODE_TYPE.ELEMENT,
      div.nodeId,
      'div',
      { id: 'a b', class: 'x', style: 'color: red', disabled: '', title: 't' },
      [[NODE_TYPE.TEXT, text.nodeId, 'hi']],
    ]);
  });

  it('adds events, and an empty events map before a widget', () => {
    const button = new Button({ events: [['change', { debounceMs: 5 }]] });
    expect(serializeNode(button).slice(5)).toEqual([{ click: 0, change: 5 }]);
    const data = { points: [1] };
    const widget = new Div({ widget: 'Chart', widgetData: data });
    const tuple = serializeNode(widget);
    expect(tuple.slice(5)).toEqual([{}, ['Chart', { points: [1] }]]);
    data.points.push(2);
    expect(tuple[6]).toEqual(['Chart', { points: [1] }]); // a copy, not the live object
  });

  it('sends RawHtml as markup and a fragment root as an element with the tag ""', () => {
    const raw = new RawHtml('<b>x</b>');
    const fragment = new HTML(raw);
    expect(serializeNode(fragment)).toEqual([
      NODE_TYPE.ELEMENT,
      fragment.nodeId,
      FRAGMENT_TAG,
      {},
      [[NODE_TYPE.RAW_HTML, raw.nodeId, '<b>x</b>']],
    ]);
    expect(FRAGMENT_TAG).toBe('');
  });
});
