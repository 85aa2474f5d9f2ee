/**
 * Text fields: TextInput (<input type="text">, also email, password, search, tel and url
 * from parseHtml) and TextArea. Their value is a string. From the server, TextInput.value
 * is sent as the attribute 'value' (the client sets the DOM property) and TextArea.value
 * as SET_TEXT on its one text child. Change data is the string (protocol/events.ts).
 */
import type { Child } from '../../node-list.js';
import { isProps } from '../../node-props.js';
import { withOrigin } from '../../origin.js';
import { InputNode, type InputNodeProps } from './input-node.js';

export interface TextInputProps extends InputNodeProps {
  value?: string;
}

export class TextInput extends InputNode {
  static override TAG_NAME = 'input';
  static override ATTRIBUTES = { type: 'text' };

  constructor(props?: TextInputProps) {
    super(props);
    if (isProps(props) && props.value !== undefined) this.value = props.value;
  }

  get value(): string {
    return this.attributes.get('value') ?? '';
  }

  set value(value: string) {
    if (typeof value !== 'string') this.badValue(value, 'a string');
    if (value !== this.value) this.attributes.set('value', value);
  }

  applyClientChange(data: unknown, origin?: object): boolean {
    if (typeof data !== 'string') return false;
    withOrigin(origin, () => (this.value = data));
    return true;
  }
}

export class TextArea extends InputNode {
  static override TAG_NAME = 'textarea';

  constructor(props?: TextInputProps | Child, ...children: Child[]) {
    super(props, ...children);
    const value = isProps(props) ? props.value : undefined;
    // Always one TextNode child, so that every later change is one SET_TEXT.
    this.setText(value ?? this.getText());
  }

  get value(): string {
    return this.getText();
  }

  set value(value: string) {
    if (typeof value !== 'string') this.badValue(value, 'a string');
    this.setText(value);
  }

  applyClientChange(data: unknown, origin?: object): boolean {
    if (typeof data !== 'string') return false;
    withOrigin(origin, () => (this.value = data));
    return true;
  }
}
