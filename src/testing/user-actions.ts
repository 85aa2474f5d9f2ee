/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * What a user does to the page, done to the tab's DOM the way a browser does it, so that
 * the browser client's own listeners (client/input-events.ts) see the same events: a
 * click with its default action, typing (`input`, then `change`), picking options,
 * ticking a box, submitting a form, moving focus. Each first checks that a user could do
 * it at all (nobody types into a disabled field), and `explainNothingSent` says why the
 * browser client sent nothing. Waiting for the server is TestView's business.
 */
import type { DomView } from '../client/dom-view.js';
import { TestClientError } from './test-client-error.js';

export interface ClickModifiers {
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
}

/** An option's value attribute or its label; numbers are matched as their text. */
export type OptionChoice = string | number;

/** `<input>` types a user does not type into, with the verb to use instead. */
const NOT_TYPED: Record<string, string> = {
  checkbox: 'check()',
  radio: 'check()',
  submit: 'click() or submit()',
  image: 'click() or submit()',
  button: 'click()',
  reset: 'click()',
  file: 'a real browser (openInBrowser())',
  hidden: 'nothing: a user cannot change a hidden input',
};

/** `<button>` and submit/image inputs submit their form. */
export function isSubmitButton(element: Element): boolean {
  const type = (element.getAttribute('type') ?? '').toLowerCase();
  if (element.localName === 'button') return type === '' || type === 'submit';
  return element.localName === 'input' && (type === 'submit' || type === 'image');
}

/** A short description of an element for messages: its start tag. */
export function describeElement(element: Element): string {
  const tag = element.outerHTML.match(/^<[^>]*>/)?.[0] ?? `<${element.localName}>`;
  return tag.length > 120 ? `${tag.slice(0, 117)}…>` : tag;
}

function badTarget(verb: string, element: Element, why: string): TestClientError {
  return new TestClientError('LONA_TEST_BAD_TARGET', `${verb}: ${describeElement(element)} ${why}`);
}

function isDisabled(element: Element): boolean {
  if (element.hasAttribute('disabled')) return true;
  try {
    return element.matches(':disabled');
  } catch {
    return false;
  }
}

function fire(element: Element, type: 'input' | 'change'): void {
  const EventClass = element.ownerDocument.defaultView?.Event ?? Event;
  element.dispatchEvent(new EventClass(type, { bubbles: true }));
}

/** A click on the element: the browser's default action included (toggling, submitting). */
export function clickElement(element: Element, modifiers: ClickModifiers = {}): void {
  const html = element as HTMLElement;
  if (!Object.values(modifiers).some(Boolean) && typeof html.click === 'function') {
    html.click();
    return;
  }
  const MouseEventClass = element.ownerDocument.defaultView?.MouseEvent ?? MouseEvent;
  element.dispatchEvent(
    new MouseEventClass('click', { bubbles: true, cancelable: true, button: 0, ...modifiers }),
  );
}

/** Types `text` into a text control: its value, then `input` and `change` as a browser fires them. */
export function typeInto(verb: string, element: Element, text: string): void {
  const tag = element.localName;
  if (tag === 'select') throw badTarget(verb, element, 'is a select: use select()');
  if (tag !== 'input' && tag !== 'textarea') {
    throw badTarget(verb, element, 'is not a text field (an <input> or a <textarea>)');
  }
  const type = (element as HTMLInputElement).type;
  if (tag === 'input' && type in NOT_TYPED) {
    throw badTarget(verb, element, `is not typed into: use ${NOT_TYPED[type]}`);
  }
  if (isDisabled(element)) throw badTarget(verb, element, 'is disabled');
  if (element.hasAttribute('readonly')) throw badTarget(verb, element, 'is read-only');
  (element as HTMLInputElement).value = text;
  fire(element, 'input');
  fire(element, 'change');
}

/**
 * Picks options of a select by value or label, as a user does; returns false when they
 * were picked already (a browser fires nothing then).
 */
export function pickOptions(
  verb: string,
  element: Element,
  wanted: OptionChoice | readonly OptionChoice[],
): boolean {
  if (element.localName !== 'select') throw badTarget(verb, element, 'is not a <select>');
  const select = element as HTMLSelectElement;
  if (isDisabled(select)) throw badTarget(verb, element, 'is disabled');
  const choices = (Array.isArray(wanted) ? wanted : [wanted]) as OptionChoice[];
  if (!select.multiple && choices.length !== 1) {
    throw badTarget(verb, element, `is a single select: pick one option, not ${choices.length}`);
  }
  // Every <option> in document order, optgroups included, as the change data counts them.
  const options = Array.from(select.querySelectorAll('option'));
  const chosen = new Set<HTMLOptionElement>();
  for (const choice of choices) {
    const key = String(choice);
    const option =
      options.find((o) => o.value === key) ?? options.find((o) => optionLabel(o) === key);
    if (!option) {
      const known = options.map((o) => `"${o.value}" (${optionLabel(o)})`).join(', ');
      throw badTarget(
        verb,
        element,
        `has no option with the value or label "${key}"; it has ${known || 'no options'}`,
      );
    }
    if (option.disabled || option.closest('optgroup')?.disabled) {
      throw badTarget(verb, element, `has the option "${key}" disabled`);
    }
    chosen.add(option);
  }
  if (options.every((option) => option.selected === chosen.has(option))) return false;
  for (const option of options) option.selected = chosen.has(option);
  fire(select, 'input');
  fire(select, 'change');
  return true;
}

function optionLabel(option: HTMLOptionElement): string {
  return (option.getAttribute('label') ?? option.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Ticks or clears a checkbox, or checks a radio button, with a click as a user does;
 * returns false when it is in that state already.
 */
export function setChecked(verb: string, element: Element, checked: boolean): boolean {
  const input = element as HTMLInputElement;
  if (element.localName !== 'input' || (input.type !== 'checkbox' && input.type !== 'radio')) {
    throw badTarget(verb, element, 'is not a checkbox or a radio button');
  }
  if (isDisabled(element)) throw badTarget(verb, element, 'is disabled');
  if (input.type === 'radio' && !checked) {
    throw badTarget(verb, element, 'is a radio button: a user unchecks it by checking another one');
  }
  if (input.checked === checked) return false;
  clickElement(input);
  return true;
}

/** The form an element submits: the form itself, or the form of a control in it. */
export function formOf(verb: string, element: Element): HTMLFormElement {
  if (element.localName === 'form') return element as HTMLFormElement;
  const form = (element as HTMLInputElement).form ?? element.closest('form');
  if (!form) throw badTarget(verb, element, 'is neither a form nor inside one');
  return form;
}

/** Submits the form as a submit button (or Enter in a field) does, validation included. */
export function submitForm(verb: string, element: Element): void {
  const form = formOf(verb, element);
  const submitter = element !== form && isSubmitButton(element) ? (element as HTMLElement) : null;
  if (submitter && isDisabled(submitter)) throw badTarget(verb, submitter, 'is disabled');
  if (submitter) form.requestSubmit(submitter);
  else form.requestSubmit();
}

/** Gives the element focus; a browser fires focus events only for one that can take it. */
export function focusElement(verb: string, element: Element): void {
  if (isDisabled(element)) throw badTarget(verb, element, 'is disabled and cannot take focus');
  (element as HTMLElement).focus();
  if (element.ownerDocument.activeElement !== element) {
    throw badTarget(verb, element, 'cannot take focus');
  }
}

export function blurElement(verb: string, element: Element): void {
  if (element.ownerDocument.activeElement !== element) {
    throw badTarget(verb, element, 'does not have focus: focus() it first');
  }
  (element as HTMLElement).blur();
}

/**
 * Why a click or a submit made the browser client send nothing and navigate nowhere,
 * worked out from the same rules input-events.ts applies.
 */
export function explainNothingSent(
  verb: 'click' | 'submit',
  element: Element,
  dom: DomView,
): string {
  const root = dom.root;
  if (verb === 'submit' || isSubmitButton(element)) {
    const form = verb === 'submit' ? formOf(verb, element) : (element as HTMLInputElement).form;
    if (form) {
      const invalid = Array.from(form.elements).filter(
        (control) => !(control as HTMLInputElement).checkValidity?.(),
      );
      if (invalid.length > 0) {
        return `the form was not submitted: these fields fail validation: ${invalid
          .map(describeElement)
          .join(', ')}`;
      }
      return (
        'the form was left to the browser (a multipart enctype, a target, a file input, ' +
        'data-lona-ignore, method="dialog" or another origin), and the test client loads no pages'
      );
    }
  }
  for (let node: Element | null = element; node && node !== root; node = node.parentElement) {
    const id = dom.nodeIdOf(node);
    if (id !== undefined && typeof dom.map.events(id)?.click === 'number') {
      return isDisabled(node)
        ? `${describeElement(node)} declares the click but is disabled`
        : `${describeElement(node)} declares the click, yet nothing was sent`;
    }
    if (node.localName === 'a' && node.hasAttribute('href')) {
      return (
        'the link was left to the browser (another origin, a target, download, ' +
        'data-lona-ignore, a modifier key or a link to a fragment), and the test client loads no pages'
      );
    }
  }
  return 'neither it nor an ancestor declares a click event, and it is not a link';
}
