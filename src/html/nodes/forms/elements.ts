/**
 * Form-associated elements without a typed value (HTML spec §4.10). `Input` is the generic
 * <input> for types without a high-level class (date, range, hidden, file, ...); `Button`
 * declares click by default. Typed inputs live beside this file.
 */
import { Node } from '../../node.js';

export class Label extends Node {
  static override TAG_NAME = 'label';
}

export class Input extends Node {
  static override TAG_NAME = 'input';
}

export class Button extends Node {
  static override TAG_NAME = 'button';
  static override EVENTS = ['click'];
}

export class Submit extends Node {
  static override TAG_NAME = 'input';
  static override ATTRIBUTES = { type: 'submit' };
}

export class DataList extends Node {
  static override TAG_NAME = 'datalist';
}

export class OptGroup extends Node {
  static override TAG_NAME = 'optgroup';
}

export class Output extends Node {
  static override TAG_NAME = 'output';
}

export class Progress extends Node {
  static override TAG_NAME = 'progress';
}

export class Meter extends Node {
  static override TAG_NAME = 'meter';
}

export class FieldSet extends Node {
  static override TAG_NAME = 'fieldset';
}

export class Legend extends Node {
  static override TAG_NAME = 'legend';
}

/**
 * A form. With `handleSubmit` (or a declared 'submit' event) the client sends a submit
 * event with the form's fields instead of navigating (SPEC §3.4).
 */
export class Form extends Node {
  static override TAG_NAME = 'form';
}
