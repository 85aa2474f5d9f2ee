/**
 * RadioGroup (<div role="radiogroup">) and RadioButton (<input type="radio">), with typed
 * values. The group declares 'change' and its change data is the index of the checked
 * RadioButton among its RadioButton descendants, or -1 (protocol/events.ts); a lone
 * RadioButton declares nothing by default and takes a boolean. From the server, checking
 * is sent as the boolean attribute 'checked' (the client sets the DOM property). Give the
 * buttons of a group one `name` so the browser unchecks the others at once.
 */
import type { Child } from '../../node-list.js';
import { isProps } from '../../node-props.js';
import { withOrigin } from '../../origin.js';
import { InputNode, sameValue, valueAttribute, type InputNodeProps } from './input-node.js';

export interface RadioButtonProps extends InputNodeProps {
  value?: unknown;
  checked?: boolean;
}

export class RadioButton extends InputNode {
  static override TAG_NAME = 'input';
  static override ATTRIBUTES = { type: 'radio' };
  static override DEBOUNCE_MS: number | null = null;
  static override OWN_PROPS: ReadonlySet<string> = new Set([...InputNode.OWN_PROPS, 'checked']);
  #value: unknown = undefined;
  #hasValue = false;

  constructor(props?: RadioButtonProps) {
    super(props);
    if (!isProps(props)) return;
    if ('value' in props) this.value = props.value;
    if (props.checked !== undefined) this.checked = props.checked;
  }

  /** Any value; defaults to the 'value' attribute, as in the browser ('on' without one). */
  get value(): unknown {
    return this.#hasValue ? this.#value : (this.attributes.get('value') ?? 'on');
  }

  set value(value: unknown) {
    this.#value = value;
    this.#hasValue = true;
    this.attributes.set('value', valueAttribute(value));
  }

  get checked(): boolean {
    return this.attributes.has('checked');
  }

  set checked(checked: boolean) {
    if (typeof checked !== 'boolean') this.badValue(checked, 'true or false');
    this.attributes.set('checked', checked);
  }

  /** A lone radio button's change is whether it is checked; its `value` names it in a group. */
  override get changeValue(): boolean {
    return this.checked;
  }

  applyClientChange(data: unknown, origin?: object): boolean {
    if (typeof data !== 'boolean') return false;
    withOrigin(origin, () => (this.checked = data));
    return true;
  }
}

export interface RadioGroupProps extends InputNodeProps {
  value?: unknown;
}

export class RadioGroup extends InputNode {
  static override TAG_NAME = 'div';
  static override ATTRIBUTES = { role: 'radiogroup' };
  static override DEBOUNCE_MS: number | null = 0;

  constructor(props?: RadioGroupProps | Child, ...children: Child[]) {
    super(props, ...children);
    if (isProps(props) && 'value' in props) this.value = props.value;
  }

  /** The RadioButton descendants, in document order. */
  get radioButtons(): RadioButton[] {
    return this.querySelectorAll('input').filter((n): n is RadioButton => n instanceof RadioButton);
  }

  /** The value of the checked button, or null. */
  get value(): unknown {
    const checked = this.radioButtons.find((button) => button.checked);
    return checked === undefined ? null : checked.value;
  }

  /** Checks the button with this value (null: none); unknown values throw. */
  set value(value: unknown) {
    const buttons = this.radioButtons;
    const chosen = value === null ? null : buttons.find((b) => sameValue(b.value, value));
    if (chosen === undefined) this.badValue(value, 'the value of one of its radio buttons or null');
    for (const button of buttons) button.checked = button === chosen;
  }

  applyClientChange(data: unknown, origin?: object): boolean {
    const buttons = this.radioButtons;
    if (!Number.isInteger(data) || (data as number) < -1 || (data as number) >= buttons.length)
      return false;
    const chosen = buttons[data as number];
    // Only the checked button's own patch is the sender's echo; the others may still be
    // checked in that tab when the buttons share no name, so they go to every tab.
    for (const button of buttons) if (button !== chosen) button.checked = false;
    if (chosen !== undefined) withOrigin(origin, () => (chosen.checked = true));
    return true;
  }
}
