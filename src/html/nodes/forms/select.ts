/**
 * Select and Option with typed values (one pair replaces Lona's Select/Select2). An Option's
 * `value` may be of any type (defaulting to its text, as in the browser); primitives are
 * mirrored into its 'value' attribute for plain form posts. Select.value is the value of
 * the selected option (the first option when none is, as the browser shows it), or an
 * array of values when `multiple`. From the server, selection is sent as the boolean
 * attribute 'selected' of each Option (the client sets the DOM property). Change data is
 * the indexes of the selected options among the Option descendants (protocol/events.ts).
 */
import type { Child } from '../../node-list.js';
import { isProps, type NodeProps } from '../../node-props.js';
import { Node } from '../../node.js';
import { withOrigin } from '../../origin.js';
import { InputNode, sameValue, valueAttribute, type InputNodeProps } from './input-node.js';

export interface OptionProps extends NodeProps {
  /** Any value; defaults to the 'value' attribute, else the option's text. */
  value?: unknown;
  /** The text shown (instead of children). */
  label?: string;
  selected?: boolean;
}

export class Option extends Node {
  static override TAG_NAME = 'option';
  static override OWN_PROPS: ReadonlySet<string> = new Set([
    ...Node.OWN_PROPS,
    'value',
    'label',
    'selected',
  ]);
  #value: unknown = undefined;
  #hasValue = false;

  constructor(props?: OptionProps | Child, ...children: Child[]) {
    super(props, ...children);
    if (!isProps(props)) return;
    if ('value' in props) this.value = props.value;
    if (props.label !== undefined) this.setText(props.label);
    if (props.selected !== undefined) this.selected = props.selected;
  }

  /** The typed value; without one, the 'value' attribute or else the text (as in the browser). */
  get value(): unknown {
    return this.#hasValue ? this.#value : (this.attributes.get('value') ?? this.getText());
  }

  set value(value: unknown) {
    this.#value = value;
    this.#hasValue = true;
    this.attributes.set('value', valueAttribute(value));
  }

  get label(): string {
    return this.getText();
  }

  set label(label: string) {
    this.setText(label);
  }

  get selected(): boolean {
    return this.attributes.has('selected');
  }

  set selected(selected: boolean) {
    this.attributes.set('selected', selected);
  }
}

export interface SelectProps extends InputNodeProps {
  value?: unknown;
  multiple?: boolean;
}

export class Select extends InputNode {
  static override TAG_NAME = 'select';
  static override DEBOUNCE_MS: number | null = 0;
  static override OWN_PROPS: ReadonlySet<string> = new Set([...InputNode.OWN_PROPS, 'multiple']);

  constructor(props?: SelectProps | Child, ...children: Child[]) {
    super(props, ...children);
    if (!isProps(props)) return;
    if (props.multiple !== undefined) this.multiple = props.multiple;
    if ('value' in props) this.value = props.value;
  }

  get multiple(): boolean {
    return this.attributes.has('multiple');
  }

  set multiple(multiple: boolean) {
    this.attributes.set('multiple', multiple);
  }

  /** The Option descendants, in document order (optgroups included). */
  get options(): Option[] {
    return this.querySelectorAll('option').filter((node): node is Option => node instanceof Option);
  }

  get selectedOptions(): Option[] {
    return this.options.filter((option) => option.selected);
  }

  get value(): unknown {
    const options = this.options;
    if (this.multiple) return options.filter((o) => o.selected).map((o) => o.value);
    const option = options.find((o) => o.selected) ?? options[0];
    return option === undefined ? null : option.value;
  }

  /** Selects the options with these values (an array when `multiple`); unknown values throw. */
  set value(value: unknown) {
    const options = this.options;
    if (this.multiple) {
      if (!Array.isArray(value)) this.badValue(value, 'an array of option values');
      const wanted = value.map((v) => {
        const option = options.find((o) => sameValue(o.value, v));
        return option ?? this.badValue(v, 'the value of one of its options');
      });
      for (const option of options) option.selected = wanted.includes(option);
      return;
    }
    const chosen = options.find((o) => sameValue(o.value, value));
    if (chosen === undefined) this.badValue(value, 'the value of one of its options');
    for (const option of options) option.selected = option === chosen;
  }

  applyClientChange(data: unknown, origin?: object): boolean {
    const options = this.options;
    if (!Array.isArray(data) || (!this.multiple && data.length > 1)) return false;
    const chosen = new Set<number>();
    for (const index of data) {
      if (!Number.isInteger(index) || index < 0 || index >= options.length || chosen.has(index))
        return false;
      chosen.add(index);
    }
    withOrigin(origin, () => options.forEach((option, i) => (option.selected = chosen.has(i))));
    return true;
  }
}
