import { describe, expect, it } from 'vitest';
import { HTML } from './fragment.js';
import { Node } from './node.js';
import { Button } from './nodes/forms/elements.js';
import { Div, Li, P, Ul } from './nodes/grouping.js';
import { A } from './nodes/links.js';
import { Img } from './nodes/embedded.js';
import { Span } from './nodes/text-level.js';
import type { TextNode } from './text-node.js';
import { unsafeUrl } from './url-safety.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('Node', () => {
  describe('constructor', () => {
    it('takes props first and children after, flattening arrays and iterables', () => {
      const div = new Div(
        { id: 'main', class: ['a', 'b'], 'data-x': 1 },
        'text',
        2,
        [new Span('s'), null, false],
        new Set(['t']),
      );
      expect(div.toString()).toBe(
        '<div id="main" class="a b" data-x="1">text2<span>s</span>t</div>',
      );
    });

    it('treats a first argument that is not a plain object as a child', () => {
      expect(new P('hello', new Span('x')).toString()).toBe('<p>hello<span>x</span></p>');
      expect(new P(new Span('x')).toString()).toBe('<p><span>x</span></p>');
    });

    it('parses style strings and objects, camelCase included', () => {
      expect(new Div({ style: 'color: red; margin: 0' }).style.get('margin')).toBe('0');
      const div = new Div({ style: { backgroundColor: 'blue', '--gap': '2px' } });
      expect(div.toString()).toBe('<div style="background-color: blue; --gap: 2px"></div>');
    });

    it('renders boolean attributes bare and leaves false ones out', () => {
      expect(new Button({ disabled: true, hidden: false, title: undefined }).toString()).toBe(
        '<button disabled></button>',
      );
    });

    it('builds a generic element from tagName', () => {
      expect(new Node({ tagName: 'x-card' }, 'c').toString()).toBe('<x-card>c</x-card>');
    });

    it('applies class-level defaults of subclasses', () => {
      class Card extends Div {
        static override CLASS_LIST = ['card'];
        static override ATTRIBUTES = { role: 'region' };
      }
      expect(new Card({ class: 'wide' }).toString()).toBe(
        '<div class="card wide" role="region"></div>',
      );
    });

    it('declares the event of every handler prop, and Button declares click', () => {
      const noop = () => undefined;
      const div = new Div({
        handleClick: noop,
        handleFocus: noop,
        events: [['change', { debounceMs: 50 }], 'my-event'],
      });
      expect(div.events.toJSON()).toEqual({ click: 0, focus: 0, change: 50, 'my-event': 0 });
      expect(new Button().declaresEvent('click')).toBe(true);
      expect(div.getHandler('handleClick')).toBe(noop);
    });

    it('keeps state on the server only', () => {
      const div = new Div({ state: { secret: 1 } });
      div.state.more = 2;
      expect(div.state).toEqual({ secret: 1, more: 2 });
      expect(div.toString()).toBe('<div></div>');
    });
  });

  describe('tree', () => {
    it('gives every node a unique nodeId that is not its HTML id', () => {
      const a = new Div({ id: 'same' });
      const b = new Div({ id: 'same' });
      expect(a.nodeId).not.toBe(b.nodeId);
      expect(a.nodeId).toMatch(/^[0-9a-z]+$/);
    });

    it('moves a mounted node instead of copying it', () => {
      const span = new Span();
      const a = new Div(span);
      const b = new Div();
      b.append(span);
      b.append(span);
      expect(a.nodes.length).toBe(0);
      expect(b.nodes.length).toBe(1);
      expect(span.parent).toBe(b);
      expect(span.parentElement).toBe(b);
      expect(span.root).toBe(b);
      expect(new HTML(span).nodes.at(0)?.parentElement).toBeNull();
    });

    it('supports insert, at, set, indexOf, pop, remove by identity and clear', () => {
      const [a, b, c] = [new Li('a'), new Li('b'), new Li('c')];
      const ul = new Ul(a, c);
      ul.insert(1, b);
      expect(ul.nodes.indexOf(b)).toBe(1);
      expect(ul.nodes.at(-1)).toBe(c);
      ul.nodes.set(0, 'x');
      expect(a.parent).toBeNull();
      expect(ul.nodes.pop()).toBe(c);
      expect(ul.nodes.remove(new Li('b'))).toBe(false);
      expect(ul.nodes.remove(b)).toBe(true);
      expect(ul.toString()).toBe('<ul>x</ul>');
      ul.nodes.clear();
      expect([...ul.nodes]).toEqual([]);
    });

    it('inserts several nodes in order, moving ones from the same list', () => {
      const [a, b, c] = [new Li('a'), new Li('b'), new Li('c')];
      const ul = new Ul(a, b, c);
      ul.insert(3, a, b);
      expect(ul.getText()).toBe('cab');
    });

    it('appends the children of an HTML fragment, leaving it empty', () => {
      const fragment = new HTML(new P('a'), 'b');
      const div = new Div(fragment);
      expect(div.toString()).toBe('<div><p>a</p>b</div>');
      expect(fragment.nodes.length).toBe(0);
    });

    it('refuses cycles', () => {
      const inner = new Div();
      const outer = new Div(new Div(inner));
      expect(() => inner.append(outer)).toThrow(code('LONA_ERR_HTML_CYCLE'));
      expect(() => outer.append(outer)).toThrow(code('LONA_ERR_HTML_CYCLE'));
    });

    it('refuses children on void elements and bad children', () => {
      expect(() => new Img().append('x')).toThrow(code('LONA_ERR_HTML_RAW_NO_CHILDREN'));
      expect(() => new Div().append({ not: 'a node' } as never)).toThrow(
        code('LONA_ERR_HTML_BAD_CHILD'),
      );
      expect(() => new Div().nodes.at(0)).not.toThrow();
      expect(() => new Div().nodes.pop()).toThrow(code('LONA_ERR_HTML_INDEX'));
    });
  });

  describe('text', () => {
    it('reuses a single TextNode in setText and reads nested text in getText', () => {
      const div = new Div('a');
      const text = div.nodes.at(0) as TextNode;
      div.setText(5);
      expect(div.nodes.at(0)).toBe(text);
      expect(text.text).toBe('5');
      expect(new Div('a', new Span('b', new P('c'))).getText()).toBe('abc');
    });
  });

  describe('classList and idList', () => {
    it('have set semantics', () => {
      const div = new Div({ class: 'a b' });
      div.classList.add('a', 'c');
      div.classList.remove('b', 'missing');
      expect(div.classList.toggle('d')).toBe(true);
      expect(div.classList.toggle('d')).toBe(false);
      expect(div.classList.has('c')).toBe(true);
      expect(String(div.classList)).toBe('a c');
      div.classList = ['z'];
      expect([...div.classList]).toEqual(['z']);
      div.idList.add('one');
      div.idList.clear();
      expect(div.idList.size).toBe(0);
    });

    it('refuses tokens with whitespace', () => {
      expect(() => new Div().classList.add('a b')).toThrow(code('LONA_ERR_HTML_BAD_TOKEN'));
      expect(() => new Div().idList.add('')).toThrow(/idList/);
    });
  });

  describe('style', () => {
    it('gets, sets, deletes and has properties, custom properties too', () => {
      const div = new Div();
      div.style.set('--accent', 'red').set('fontSize', 12);
      expect(div.style.get('font-size')).toBe('12');
      expect(div.style.has('--accent')).toBe(true);
      div.style.delete('--accent');
      div.style.set('font-size', '');
      expect(div.style.size).toBe(0);
    });

    it('refuses bad names and values', () => {
      expect(() => new Div().style.set('a b', 'x')).toThrow(code('LONA_ERR_HTML_BAD_STYLE'));
      expect(() => new Div().style.set('color', {} as never)).toThrow(/style\.set/);
    });
  });

  describe('attributes', () => {
    it('refuses id, class and style, naming the right API', () => {
      const div = new Div();
      expect(() => div.attributes.set('id', 'x')).toThrow(/use idList/);
      expect(() => div.attributes.set('class', 'x')).toThrow(/use classList/);
      expect(() => div.attributes.set('style', 'x')).toThrow(/use style/);
      expect(() => div.attributes.set('ID', 'x')).toThrow(code('LONA_ERR_HTML_RESERVED_ATTRIBUTE'));
    });

    it('refuses bad names and event handler attributes', () => {
      for (const name of ['onclick', 'OnLoad', '1a', 'a b', 'x"y', '']) {
        expect(() => new Div().attributes.set(name, 'x'), name).toThrow(
          code('LONA_ERR_HTML_BAD_ATTRIBUTE_NAME'),
        );
      }
      expect(() => new Div({ onclick: 'alert(1)' })).toThrow(/events prop/);
      expect(new Div({ 'aria-label': 'x', 'xlink:href': '#a', 'data-on': 1 }).attributes.size).toBe(
        3,
      );
    });

    it('refuses values that are not strings, numbers or booleans', () => {
      expect(() => new Div({ title: {} })).toThrow(code('LONA_ERR_HTML_BAD_ATTRIBUTE_VALUE'));
      expect(() => new Div().attributes.set('title', [1] as never)).toThrow(
        /'title' needs a string, number or boolean value; got an array/,
      );
    });

    it('refuses unsafe URLs unless wrapped in unsafeUrl()', () => {
      expect(() => new A({ href: 'javascript:alert(1)' })).toThrow(
        code('LONA_ERR_HTML_UNSAFE_URL'),
      );
      expect(() => new A({ href: ' java\tscript:x' })).toThrow(/'href'/);
      expect(() => new Div({ attributes: { src: 'data:image/png;base64,AA' } })).toThrow(
        code('LONA_ERR_HTML_UNSAFE_URL'),
      );
      expect(() => new Img({ srcset: 'a.png 1x, javascript:x 2x' })).toThrow(
        code('LONA_ERR_HTML_UNSAFE_URL'),
      );
      for (const href of [
        'https://x.org',
        'http://x',
        'mailto:a@b',
        'tel:1',
        '/p',
        'p?q#f',
        '#top',
        '',
      ]) {
        expect(() => new A({ href }), href).not.toThrow();
      }
      expect(new Img({ src: 'data:image/png;base64,AA' }).attributes.get('src')).toBe(
        'data:image/png;base64,AA',
      );
      expect(new A({ href: unsafeUrl('javascript:void 0') }).attributes.get('href')).toBe(
        'javascript:void 0',
      );
    });

    it('refuses non-function handlers and bad event names', () => {
      expect(() => new Div({ handleClick: 'x' as never })).toThrow(
        /'handleClick' must be a function, got the string "x"/,
      );
      expect(() => new Div({ events: ['bad name'] })).toThrow(code('LONA_ERR_HTML_BAD_EVENT_NAME'));
      expect(() => new Div({ events: [['change', { debounceMs: -1 }]] })).toThrow(
        code('LONA_ERR_HTML_BAD_PROP'),
      );
    });

    it('refuses bad tag names and non-JSON widget data', () => {
      expect(() => new Node({ tagName: 'a>b' })).toThrow(code('LONA_ERR_HTML_BAD_TAG_NAME'));
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      expect(() => new Div({ widget: 'W', widgetData: cyclic })).toThrow(
        code('LONA_ERR_HTML_BAD_WIDGET_DATA'),
      );
    });
  });

  describe('links', () => {
    it('renders interactive: false as data-lona-ignore', () => {
      const a = new A({ href: '/x', interactive: false }, 'x');
      expect(a.toString()).toBe('<a href="/x" data-lona-ignore>x</a>');
      a.interactive = true;
      expect(a.interactive).toBe(true);
    });
  });

  describe('equals', () => {
    it('compares structure, ignoring token and attribute order, events and state', () => {
      const a = new Div({ class: 'x y', title: 't', lang: 'en', state: { n: 1 } }, new Span('s'));
      const b = new Div({ lang: 'en', class: 'y x', title: 't', events: ['click'] }, new Span('s'));
      expect(a.equals(b)).toBe(true);
      expect(a.equals(new Div({ class: 'x y', title: 't', lang: 'en' }, new Span('S')))).toBe(
        false,
      );
      expect(a.equals(new P({ class: 'x y', title: 't', lang: 'en' }, new Span('s')))).toBe(false);
      expect(
        new Div({ widget: 'W', widgetData: [1] }).equals(new Div({ widget: 'W', widgetData: [2] })),
      ).toBe(false);
    });
  });

  describe('handleInputEvent', () => {
    it('calls the handler for the event name, or returns the event', () => {
      const div = new Div({ handleClick: () => 'done' });
      const event = { name: 'click', data: null, node: div, targetNode: null };
      expect(div.handleInputEvent(event)).toBe('done');
      expect(div.handleInputEvent({ ...event, name: 'focus' })).toEqual({
        ...event,
        name: 'focus',
      });
      expect(div.hasOwnInputEventHandler()).toBe(false);
      class Custom extends Div {
        override handleInputEvent(): unknown {
          return null;
        }
      }
      expect(new Custom().hasOwnInputEventHandler()).toBe(true);
    });
  });
});
