import { describe, expect, it } from 'vitest';
import { HTML } from './fragment.js';
import type { Node } from './node.js';
import { Html } from './nodes/document.js';
import { A } from './nodes/links.js';
import { Button, Input, Submit } from './nodes/forms/elements.js';
import { CheckBox } from './nodes/forms/check-box.js';
import type { NumberInput } from './nodes/forms/number-input.js';
import { RadioButton, RadioGroup } from './nodes/forms/radio.js';
import { Option, Select } from './nodes/forms/select.js';
import { TextArea, TextInput } from './nodes/forms/text-input.js';
import { Div, P, Ul, Li } from './nodes/grouping.js';
import { Td, Tr, Table, TBody } from './nodes/tables.js';
import { Path, Svg } from './nodes/svg.js';
import { B, Span } from './nodes/text-level.js';
import { parseHtml } from './parse-html.js';

describe('parseHtml', () => {
  it('builds the node classes for tags and drops comments', () => {
    const node = parseHtml(
      '<div id="a" class="x y" style="color: red"><!-- c --><p>t <b>b</b></p></div>',
    );
    expect(node).toBeInstanceOf(Div);
    expect(
      node.equals(new Div({ id: 'a', class: 'x y', style: 'color: red' }, new P('t ', new B('b')))),
    ).toBe(true);
    expect((node as Div).querySelector('b')).toBeInstanceOf(B);
  });

  it('maps inputs to their high-level classes', () => {
    const form = parseHtml(
      '<form><input type="text" value="a"><input type="number" value="2"><input type="checkbox" checked>' +
        '<input type="submit"><input type="date"><textarea>hi</textarea>' +
        '<select><option value="1">One</option><option selected>Two</option></select>' +
        '<div role="radiogroup"><input type="radio" value="r" checked></div></form>',
    ) as Node;
    const [text, number, box, submit, date, area, select, group] = form.nodes.toArray();
    expect(text).toBeInstanceOf(TextInput);
    expect((text as TextInput).value).toBe('a');
    expect((number as NumberInput).value).toBe(2);
    expect((box as CheckBox).value).toBe(true);
    expect(submit).toBeInstanceOf(Submit);
    expect(date).toBeInstanceOf(Input);
    expect((area as TextArea).value).toBe('hi');
    expect(select).toBeInstanceOf(Select);
    expect((select as Select).value).toBe('Two');
    expect((select as Select).options[0]).toBeInstanceOf(Option);
    expect(group).toBeInstanceOf(RadioGroup);
    expect((group as RadioGroup).value).toBe('r');
    expect((group as RadioGroup).radioButtons[0]).toBeInstanceOf(RadioButton);
  });

  it('returns a fragment for several top-level nodes or text, ignoring whitespace between', () => {
    expect(parseHtml('\n  <p>a</p>\n')).toBeInstanceOf(P);
    const fragment = parseHtml('<p>a</p><p>b</p>');
    expect(fragment).toBeInstanceOf(HTML);
    expect(fragment.nodes.length).toBe(2);
    expect(parseHtml('just text')).toBeInstanceOf(HTML);
  });

  it('parses whole documents into Html', () => {
    const doc = parseHtml(
      '<!doctype html><html><head><title>T</title></head><body><p>x</p></body></html>',
    );
    expect(doc).toBeInstanceOf(Html);
    expect(doc.querySelector('title')?.getText()).toBe('T');
  });

  it('keeps SVG tag and attribute case', () => {
    const svg = parseHtml(
      '<svg viewBox="0 0 1 1"><path d="M0 0"></path><foreignObject></foreignObject></svg>',
    ) as Svg;
    expect(svg).toBeInstanceOf(Svg);
    expect(svg.attributes.get('viewBox')).toBe('0 0 1 1');
    expect(svg.nodes.at(0)).toBeInstanceOf(Path);
    expect((svg.nodes.at(1) as Node).tagName).toBe('foreignObject');
  });

  it('takes URLs as trusted but still refuses event handler attributes', () => {
    expect((parseHtml('<a href="javascript:void(0)">x</a>') as A).attributes.get('href')).toBe(
      'javascript:void(0)',
    );
    expect(() => parseHtml('<b onclick="x()">b</b>')).toThrow(
      expect.objectContaining({ code: 'LONA_ERR_HTML_BAD_ATTRIBUTE_NAME' }),
    );
  });

  it('round-trips toString()', () => {
    const trees = [
      new Div(
        { id: 'main', class: 'a b', style: { color: 'red', '--x': '1px' }, 'data-v': '"q" & <t>' },
        'a < b & c',
        new Span('s'),
      ),
      new Ul(new Li('1'), new Li({ hidden: true }, '2')),
      new Table(new TBody(new Tr(new Td('a'), new Td({ colspan: 2 }, 'b')))),
      new Div(
        new TextInput({ value: 'v' }),
        new CheckBox({ value: true }),
        new TextArea({ value: '\nline\n' }),
      ),
      new Div(
        new Select(
          { multiple: true },
          new Option({ value: 'a', selected: true }, 'A'),
          new Option({ value: 'b' }, 'B'),
        ),
      ),
      new Div(new Button({ disabled: true }, 'go'), new A({ href: '/x', interactive: false }, 'x')),
      new Svg({ viewBox: '0 0 10 10' }, new Path({ d: 'M0 0L10 10' })),
    ];
    for (const tree of trees) {
      const html = tree.toString();
      expect(parseHtml(html).equals(tree), html).toBe(true);
      expect(parseHtml(html).toString()).toBe(html);
    }
  });
});
