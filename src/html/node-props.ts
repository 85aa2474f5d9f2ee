/**
 * The props object of `new Div(props, ...children)`: its type, how it is told apart from a
 * child, and how its keys are applied to a new node (through the node's public API, so
 * every rule of those APIs applies to props too). Keys are used verbatim: any key that is
 * not a prop below is an attribute ('data-foo', 'aria-label', 'href', ...).
 */
import { LonaError } from '../errors.js';
import type { AttributeValue } from './attribute-checks.js';
import { describeValue } from './escape.js';
import type { EventDeclaration } from './event-declarations.js';
import type { InputEventHandler } from './input-event.js';
import { internals } from './internals.js';
import type { Node } from './node.js';
import type { StyleValue } from './style-map.js';

export interface NodeProps {
  /** The HTML id: a string ("a b" for several) or an array; becomes `idList`. */
  id?: string | readonly string[] | null;
  /** Classes: a string ("a b") or an array; becomes `classList`. */
  class?: string | readonly string[] | null;
  /** An object (`{ color: 'red', '--gap': '4px' }`) or an "a: b; c: d" string. */
  style?: string | Readonly<Record<string, StyleValue>> | null;
  /** Attributes by name, for names that clash with a prop. */
  attributes?: Readonly<Record<string, AttributeValue>>;
  /** Events to declare: names or `[name, { debounceMs }]`; added to the class's EVENTS. */
  events?: readonly EventDeclaration[];
  /** Handlers; each also declares its event. */
  handleClick?: InputEventHandler | null;
  handleChange?: InputEventHandler | null;
  handleFocus?: InputEventHandler | null;
  handleBlur?: InputEventHandler | null;
  handleSubmit?: InputEventHandler | null;
  /** Name of a client widget class (Lona.registerWidget) and its JSON data. */
  widget?: string | null;
  widgetData?: unknown;
  /** Server-only data, never sent to the browser. */
  state?: Record<string, unknown>;
  /** Tag of a generic `new Node({ tagName: 'x-foo' })`. */
  tagName?: string;
  /** Any other key is an attribute: string, number, boolean (true → bare, false → absent). */
  [attribute: string]: unknown;
}

/** A props object is a plain object; nodes, arrays, iterables and text are children. */
export function isProps(value: unknown): value is NodeProps {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const HANDLERS = new Set([
  'handleClick',
  'handleChange',
  'handleFocus',
  'handleBlur',
  'handleSubmit',
]);

function bad(node: Node, name: string, expected: string, got: unknown): never {
  throw new LonaError('LONA_ERR_HTML_BAD_PROP', {
    name,
    node: `<${node.tagName}>`,
    expected,
    got: describeValue(got),
  });
}

function tokens(node: Node, name: string, value: unknown): string | readonly string[] {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  return bad(node, name, 'a string or an array of strings', value);
}

/** Applies props to a freshly built node, skipping `skip` (keys its class handles). */
export function applyProps(node: Node, props: NodeProps, skip: ReadonlySet<string>): void {
  for (const key of Object.keys(props)) {
    if (key === 'tagName' || skip.has(key)) continue;
    const value = props[key];
    if (HANDLERS.has(key)) {
      (node as unknown as Record<string, unknown>)[key] = value;
      continue;
    }
    if (value === undefined) continue;
    switch (key) {
      case 'id':
        if (value !== null) internals.addTokens(node, 'id', toList(tokens(node, key, value)));
        break;
      case 'class':
        if (value !== null) internals.addTokens(node, 'class', toList(tokens(node, key, value)));
        break;
      case 'style':
        if (value === null) break;
        if (typeof value !== 'string' && !isProps(value))
          bad(node, key, 'an object or a string', value);
        node.style.reset(value as string | Record<string, StyleValue>);
        break;
      case 'attributes':
        if (!isProps(value)) bad(node, key, 'an object', value);
        for (const [name, v] of Object.entries(value))
          node.attributes.set(name, v as AttributeValue);
        break;
      case 'events':
        if (!Array.isArray(value)) bad(node, key, 'an array of event declarations', value);
        for (const d of value as EventDeclaration[]) {
          if (typeof d === 'string') node.events.add(d);
          else if (Array.isArray(d)) node.events.add(d[0], d[1]);
          else bad(node, key, 'names or [name, { debounceMs }] entries', d);
        }
        break;
      case 'widget':
        node.widget = value as string | null;
        break;
      case 'widgetData':
        node.widgetData = value;
        break;
      case 'state':
        if (!isProps(value)) bad(node, key, 'a plain object', value);
        node.state = value as Record<string, unknown>;
        break;
      default:
        node.attributes.set(key, value as AttributeValue);
    }
  }
}

function toList(value: string | readonly string[]): string[] {
  return typeof value === 'string' ? value.split(/\s+/).filter((t) => t !== '') : [...value];
}
