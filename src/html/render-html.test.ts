import { describe, expect, it } from 'vitest';
import { HTML } from './fragment.js';
import { Node } from './node.js';
import { Br, Span } from './nodes/text-level.js';
import { Div, P, Pre } from './nodes/grouping.js';
import { Script } from './nodes/scripting.js';
import { Style } from './nodes/document.js';
import { Img } from './nodes/embedded.js';
import { TextArea } from './nodes/forms/text-input.js';
import { RawHtml } from './raw-html.js';

describe('toString', () => {
  it('shows text with markup in it as text', () => {
    expect(new P('<script>alert("x")</script> & more').toString()).toBe(
      '<p>&lt;script&gt;alert("x")&lt;/script&gt; &amp; more</p>',
    );
  });

  it('escapes attribute values and double-quotes them', () => {
    expect(new Div({ title: `"><img src=x onerror=alert(1)> & 'q'` }).toString()).toBe(
      `<div title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; 'q'"></div>`,
    );
  });

  it('writes void elements without an end tag', () => {
    expect(new Div(new Br(), new Img({ src: '/a.png', alt: '' })).toString()).toBe(
      '<div><br><img src="/a.png" alt></div>',
    );
  });

  it('writes RawHtml verbatim and fragments as their children', () => {
    expect(new HTML(new RawHtml('<b>trusted</b>'), new Span('x')).toString()).toBe(
      '<b>trusted</b><span>x</span>',
    );
  });

  it('writes script and style text raw but refuses their end tag', () => {
    expect(new Script('if (a < b && c) {}').toString()).toBe('<script>if (a < b && c) {}</script>');
    expect(() => new Script('x = "</SCRIPT><b>"').toString()).toThrow(
      expect.objectContaining({ code: 'LONA_ERR_HTML_SCRIPT_CLOSING_TAG' }),
    );
    expect(() => new Style('a{} </style>').toString()).toThrow(
      /style text may not contain '<\/style'/,
    );
  });

  it('keeps a leading newline of pre and textarea through the parser', () => {
    expect(new Pre('\nx').toString()).toBe('<pre>\n\nx</pre>');
    expect(new TextArea({ value: '\nx' }).toString()).toBe('<textarea>\n\nx</textarea>');
  });

  it('renders a 1,000-node tree without trouble', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => new Node({ tagName: 'x-row' }, String(i)));
    expect(new Div(rows).toString().length).toBeGreaterThan(10_000);
  });
});
