import { describe, expect, it } from 'vitest';
import { HTML } from './fragment.js';
import type { BaseNode } from './base-node.js';
import type { Node } from './node.js';
import { Button } from './nodes/forms/elements.js';
import type { CheckBox } from './nodes/forms/check-box.js';
import type { NumberInput } from './nodes/forms/number-input.js';
import type { TextArea, TextInput } from './nodes/forms/text-input.js';
import { Div, Li, P, Ul } from './nodes/grouping.js';
import { Span } from './nodes/text-level.js';

describe('JSX', () => {
  it('builds the same tree as the constructors', () => {
    const onClick = () => undefined;
    const items = ['a', 'b'];
    const viaJsx = (
      <Div id="main" class="box" style={{ color: 'red' }} data-role="x">
        <P>
          Count: <Span>{0}</Span>
        </P>
        <Button handleClick={onClick}>+</Button>
        <Ul>
          {items.map((item) => (
            <Li>{item}</Li>
          ))}
        </Ul>
        {false}
        {null}
      </Div>
    );
    const viaConstructors = new Div(
      { id: 'main', class: 'box', style: { color: 'red' }, 'data-role': 'x' },
      new P('Count: ', new Span(0)),
      new Button({ handleClick: onClick }, '+'),
      new Ul(items.map((item) => new Li(item))),
    );
    expect(viaJsx.equals(viaConstructors)).toBe(true);
    expect(viaJsx.toString()).toBe(viaConstructors.toString());
  });

  it('returns the class instance, so a node can be kept and changed', () => {
    const onClick = () => 'clicked';
    const button = (<Button handleClick={onClick}>+</Button>) as Button;
    expect(button).toBeInstanceOf(Button);
    expect(button.getHandler('handleClick')).toBe(onClick);
    button.setText('-');
    expect(button.toString()).toBe('<button>-</button>');
  });

  it('builds the matching class for lowercase tags, with HTML attributes', () => {
    const tree = (
      <div class="x">
        <input type="checkbox" checked />
        <input type="number" value="3" />
        <input value="v" />
        <textarea value="t" />
        <x-widget data-a="1" />
      </div>
    ) as Div;
    expect(tree).toBeInstanceOf(Div);
    const [box, number, text, area, custom] = tree.nodes.toArray();
    expect((box as CheckBox).value).toBe(true);
    expect((number as NumberInput).value).toBe(3);
    expect((text as TextInput).value).toBe('v');
    expect((area as TextArea).value).toBe('t');
    expect((custom as Node).tagName).toBe('x-widget');
  });

  it('builds fragments and calls function components', () => {
    const Item = (props: { label: string }): BaseNode => <Li class="item">{props.label}</Li>;
    const fragment = (
      <>
        <Item label="one" />
        <Item label="two" />
      </>
    );
    expect(fragment).toBeInstanceOf(HTML);
    expect(new Ul(fragment).toString()).toBe(
      '<ul><li class="item">one</li><li class="item">two</li></ul>',
    );
  });
});
