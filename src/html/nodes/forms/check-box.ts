/**
 * CheckBox (<input type="checkbox">): `value` is a boolean, sent from the server as the
 * boolean attribute 'checked' (the client sets the DOM property). Change data is the
 * boolean (protocol/events.ts). Changes are discrete, so the debounce defaults to 0.
 */
import { isProps } from '../../node-props.js';
import { withOrigin } from '../../origin.js';
import { InputNode, type InputNodeProps } from './input-node.js';

export interface CheckBoxProps extends InputNodeProps {
  value?: boolean;
}

export class CheckBox extends InputNode {
  static override TAG_NAME = 'input';
  static override ATTRIBUTES = { type: 'checkbox' };
  static override DEBOUNCE_MS: number | null = 0;

  constructor(props?: CheckBoxProps) {
    super(props);
    if (isProps(props) && props.value !== undefined) this.value = props.value;
  }

  get value(): boolean {
    return this.attributes.has('checked');
  }

  set value(value: boolean) {
    if (typeof value !== 'boolean') this.badValue(value, 'true or false');
    this.attributes.set('checked', value);
  }

  applyClientChange(data: unknown, origin?: object): boolean {
    if (typeof data !== 'boolean') return false;
    withOrigin(origin, () => (this.value = data));
    return true;
  }
}
