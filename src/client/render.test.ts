// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"enableJavaScriptEvaluation": true, "suppressInsecureJavaScriptEnvironmentWarning": true}}
import { describe, it, expect, afterEach } from 'vitest';
import { DomView } from './dom-view.js';
import { NS_HTML, NS_SVG } from './render.js';
import { el, raw, text } from './test-nodes.js';

const NS_MATHML = 'http://www.w3.org/1998/Math/MathML';
const NS_XLINK = 'http://www.w3.org/1999/xlink';

function setup() {
  const root = document.createElement('div');
  document.body.append(root);
  const errors: Error[] = [];
  const view = new DomView(root, { send: () => {}, onError: (error) => errors.push(error) });
  return { root, view, errors };
}

afterEach(() => {
  document.body.replaceChildren();
  delete (window as unknown as Record<string, unknown>).x;
});

describe('renderTree', () => {
  it('renders elements, attributes and text nodes as the server would write them', () => {
    const { root, view } = setup();
    view.renderTree(
      el('1', 'div', { id: 'main', class: 'a b', style: 'color: red' }, [
        el('2', 'h1', {}, [text('3', 'Hello & <you>')]),
        el('4', 'input', { type: 'checkbox', checked: '' }),
      ]),
    );
    expect(root.innerHTML).toBe(
      '<div id="main" class="a b" style="color: red"><h1>Hello &amp; &lt;you&gt;</h1>' +
        '<input type="checkbox" checked=""></div>',
    );
  });

  it('maps every node id to its DOM node and back', () => {
    const { root, view } = setup();
    view.renderTree(el('1', 'p', {}, [text('2', 'x'), el('3', 'b')]));
    const p = root.firstChild!;
    expect(view.getNode('1')).toBe(p);
    expect(view.getNode('2')).toBe(p.firstChild);
    expect(view.nodeIdOf(p.lastChild!)).toBe('3');
  });

  it('replaces the previous tree and forgets its ids', () => {
    const { root, view } = setup();
    view.renderTree(el('1', 'p', {}, [text('2', 'old')]));
    view.renderTree(el('5', 'span', {}, [text('6', 'new')]));
    expect(root.innerHTML).toBe('<span>new</span>');
    expect(view.getNode('1')).toBeUndefined();
  });

  it('puts svg and its children in the SVG namespace, keeping case', () => {
    const { root, view } = setup();
    view.renderTree(
      el('1', 'div', {}, [
        el('2', 'svg', { viewBox: '0 0 10 10' }, [
          el('3', 'linearGradient', { id: 'g' }),
          el('4', 'use', { 'xlink:href': '#g' }),
        ]),
      ]),
    );
    const svg = root.querySelector('svg')!;
    expect(svg.namespaceURI).toBe(NS_SVG);
    expect(svg.getAttribute('viewBox')).toBe('0 0 10 10');
    const gradient = view.getNode('3') as Element;
    expect(gradient.namespaceURI).toBe(NS_SVG);
    expect(gradient.localName).toBe('linearGradient');
    const use = view.getNode('4') as Element;
    expect(use.getAttributeNS(NS_XLINK, 'href')).toBe('#g');
  });

  it('returns to HTML inside foreignObject and starts MathML at math', () => {
    const { view } = setup();
    view.renderTree(
      el('1', 'svg', {}, [
        el('2', 'foreignObject', {}, [el('3', 'div', {}, [el('4', 'math', {}, [el('5', 'mi')])])]),
      ]),
    );
    expect((view.getNode('2') as Element).namespaceURI).toBe(NS_SVG);
    expect((view.getNode('3') as Element).namespaceURI).toBe(NS_HTML);
    expect((view.getNode('4') as Element).namespaceURI).toBe(NS_MATHML);
    expect((view.getNode('5') as Element).namespaceURI).toBe(NS_MATHML);
  });

  it('renders RawHtml markup in place, between its siblings', () => {
    const { root, view } = setup();
    view.renderTree(
      el('1', 'div', {}, [text('2', 'a'), raw('3', '<b>bold</b> <i>it</i>'), text('4', 'z')]),
    );
    expect(root.innerHTML).toBe('<div>a<b>bold</b> <i>it</i>z</div>');
    expect(view.getNode('3')).toBe(root.querySelector('b'));
  });

  it('gives an empty RawHtml an empty text node to stand for it', () => {
    const { root, view } = setup();
    view.renderTree(el('1', 'div', {}, [raw('2', '')]));
    expect(root.innerHTML).toBe('<div></div>');
    expect(view.getNode('2')?.nodeType).toBe(3);
  });

  it('parses RawHtml inside svg in the SVG namespace', () => {
    const { view } = setup();
    view.renderTree(el('1', 'svg', {}, [raw('2', '<circle r="1"></circle>')]));
    expect((view.getNode('2') as Element).namespaceURI).toBe(NS_SVG);
  });

  it('throws on an invalid tag name and on a duplicate node id', () => {
    const { view } = setup();
    expect(() => view.renderTree(el('1', 'img onerror=x'))).toThrow(/Invalid tag name/);
    expect(() => view.renderTree(el('1', 'div', {}, [el('1', 'p')]))).toThrow(
      /Duplicate node id '1'/,
    );
  });
});

describe('attribute checks', () => {
  it('reports and skips event handler attributes and invalid names', () => {
    const { root, view, errors } = setup();
    view.renderTree(el('1', 'div', { onclick: 'x()', ONLOAD: 'x()', 'a"b': '1', title: 't' }));
    expect(root.innerHTML).toBe('<div title="t"></div>');
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/event handler attribute 'onclick'/),
      expect.stringMatching(/event handler attribute 'ONLOAD'/),
      expect.stringMatching(/invalid attribute name/),
    ]);
  });

  it('refuses javascript: and other unsafe URLs, also in disguise', () => {
    const { root, view, errors } = setup();
    view.renderTree(
      el('1', 'div', {}, [
        el('2', 'a', { href: 'javascript:alert(1)' }),
        el('3', 'a', { href: ' JaVa\tScRiPt:alert(1)' }),
        el('4', 'video', { poster: 'data:text/html,<script>x</script>' }),
        el('5', 'form', { action: 'vbscript:x' }),
        el('6', 'img', { srcset: 'a.png 1x, javascript:x 2x' }),
      ]),
    );
    expect(root.innerHTML).toBe('<div><a></a><a></a><video></video><form></form><img></div>');
    expect(errors).toHaveLength(5);
  });

  it('accepts http(s), mailto, tel, relative URLs and data images on img', () => {
    const { root, view, errors } = setup();
    view.renderTree(
      el('1', 'div', {}, [
        el('2', 'a', { href: 'https://example.org/' }),
        el('3', 'a', { href: 'mailto:a@b.c' }),
        el('4', 'a', { href: 'tel:+1' }),
        el('5', 'a', { href: '../x?y=1#z' }),
        el('6', 'img', { src: 'data:image/png;base64,AAAA' }),
      ]),
    );
    expect(errors).toEqual([]);
    expect(root.querySelectorAll('[href],[src]')).toHaveLength(5);
  });
});

describe('script elements', () => {
  it('runs a createElement script in this DOM (the control case)', () => {
    const script = document.createElement('script');
    script.textContent = 'window.x = "ran"';
    document.body.append(script);
    expect((window as unknown as Record<string, unknown>).x).toBe('ran');
  });

  it('never runs a script element from a tree, yet keeps it in the markup', () => {
    const { root, view } = setup();
    view.renderTree(el('1', 'div', {}, [el('2', 'script', {}, [text('3', 'window.x = 1')])]));
    expect((window as unknown as Record<string, unknown>).x).toBeUndefined();
    expect(root.innerHTML).toBe('<div><script>window.x = 1</script></div>');
  });

  it('never runs a script element inserted by a patch, nor after its text changes', () => {
    const { view } = setup();
    view.renderTree(el('1', 'div'));
    view.applyPatches([['ins', '1', null, el('2', 'script', {}, [text('3', '')])]]);
    view.applyPatches([['text', '3', 'window.x = 2']]);
    view.applyPatches([
      ['ins', '1', null, el('4', 'svg', {}, [el('5', 'script', {}, [text('6', 'window.x = 3')])])],
    ]);
    expect((window as unknown as Record<string, unknown>).x).toBeUndefined();
  });

  it('never runs a script element inside RawHtml', () => {
    const { root, view } = setup();
    view.renderTree(el('1', 'div', {}, [raw('2', '<p>a</p><script>window.x = 4</script>')]));
    view.applyPatches([['text', '2', '<script>window.x = 5</script>']]);
    expect((window as unknown as Record<string, unknown>).x).toBeUndefined();
    expect(root.innerHTML).toBe('<div><script>window.x = 5</script></div>');
  });
});
