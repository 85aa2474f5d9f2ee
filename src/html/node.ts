/**
 * Node: an HTML element of the server-side tree, and the base class of every element class
 * (Div, Button, TextInput, ...). It owns the element's content: tag, idList, classList,
 * style, attributes, declared events and handlers, widget, server-only state. Children
 * belong to ParentNode; recording changes as patches to PatchRecorder; HTML output to
 * render-html.ts. Subclasses set class-level defaults through static fields.
 */
import { LonaError } from '../errors.js';
import type { AttributeValue } from './attribute-checks.js';
import { AttributeMap, attributeEntries } from './attribute-map.js';
import { KIND, baseInternals } from './base-node.js';
import { describeValue } from './escape.js';
import { EventDeclarations, eventMap, type EventDeclaration } from './event-declarations.js';
import type { InputEventHandler, NodeInputEvent } from './input-event.js';
import { internals } from './internals.js';
import type { Child } from './node-list.js';
import { applyProps, isProps, type NodeProps } from './node-props.js';
import { ParentNode } from './parent-node.js';
import { renderHtml } from './render-html.js';
import { closest, matches } from './selector.js';
import { StyleMap, styleEntries, type StyleValue } from './style-map.js';
import { TokenList, isToken, tokenListOf } from './token-list.js';
import { sameJson, toJson } from './widget-json.js';

type Tokens = TokenList | string | null;
/** Name, handler, name, handler, ...: rarely more than one pair, and far smaller than a Map. */
type Handlers = readonly (string | InputEventHandler)[];

// Functions with access to private fields, assigned in Node's static block. They are not
// private methods because a private method costs every instance a hidden slot.
let addTokens: (node: Node, list: 'id' | 'class', tokens: readonly string[]) => void;
let setHandler: (
  node: Node,
  event: string,
  prop: string,
  handler: InputEventHandler | null | undefined,
) => void;

/**
 * The parts most elements never use, kept in one object so that an element without any of
 * them pays one empty slot instead of six.
 */
class Rare {
  style: StyleMap | null = null;
  events: EventDeclarations | null = null;
  handlers: Handlers | null = null;
  widget: string | null = null;
  widgetData: unknown = null;
  state: Record<string, unknown> | null = null;
}

let rareOf: (node: Node) => Rare;

const TAG_NAME_RE = /^[A-Za-z][A-Za-z0-9-]*$/;
const NO_PROPS: ReadonlySet<string> = new Set();
const { shownBy } = baseInternals;
const HANDLER_EVENTS: Record<string, string> = {
  handleClick: 'click',
  handleChange: 'change',
  handleFocus: 'focus',
  handleBlur: 'blur',
  handleSubmit: 'submit',
};

export class Node extends ParentNode {
  /** The tag of this class's elements. */
  static TAG_NAME = 'div';
  /** Events every instance declares, e.g. `['click']` or `[['change', { debounceMs: 300 }]]`. */
  static EVENTS: readonly EventDeclaration[] = [];
  /** Classes every instance starts with. */
  static CLASS_LIST: readonly string[] = [];
  /** Attributes every instance starts with. */
  static ATTRIBUTES: Readonly<Record<string, AttributeValue>> = {};
  /** Client widget class every instance starts with. */
  static WIDGET: string | null = null;
  /** Prop keys a subclass applies itself after super(); the base constructor skips them. */
  static OWN_PROPS: ReadonlySet<string> = NO_PROPS;

  readonly tagName: string;
  // Each part is created on first use, so a plain <div> carries no empty maps. Ids and
  // classes set at construction stay a string (checked tokens, unique, joined by single
  // spaces) until the TokenList is asked for: most are only rendered, and a list with its
  // Set costs some 200 bytes.
  #attributes: AttributeMap | null = null;
  #idList: Tokens = null;
  #classList: Tokens = null;
  #rare: Rare | null = null;

  constructor(props?: NodeProps | Child, ...children: Child[]) {
    super();
    const ctor = this.constructor as typeof Node;
    const own = isProps(props) ? props : undefined;
    const tagName = own?.tagName ?? ctor.TAG_NAME;
    if (typeof tagName !== 'string' || !TAG_NAME_RE.test(tagName)) {
      throw new LonaError('LONA_ERR_HTML_BAD_TAG_NAME', { name: String(tagName) });
    }
    this.tagName = tagName;
    if (ctor.WIDGET !== null) rareOf(this).widget = ctor.WIDGET;
    if (ctor.CLASS_LIST.length > 0) addTokens(this, 'class', ctor.CLASS_LIST);
    for (const name in ctor.ATTRIBUTES) this.attributes.set(name, ctor.ATTRIBUTES[name]);
    if (ctor.EVENTS.length > 0) this.events.reset(ctor.EVENTS);
    if (own !== undefined) applyProps(this, own, ctor.OWN_PROPS);
    else if (props !== undefined) children.unshift(props as Child);
    if (children.length > 0) this.nodes.append(children);
  }

  get attributes(): AttributeMap {
    return (this.#attributes ??= new AttributeMap(this));
  }
  set attributes(attributes: Readonly<Record<string, AttributeValue>>) {
    this.attributes.reset(attributes);
  }

  /** The HTML id as a set of tokens (usually one). */
  get idList(): TokenList {
    const ids = this.#idList;
    return ids instanceof TokenList ? ids : (this.#idList = tokenListOf(this, 'id', ids ?? ''));
  }
  set idList(ids: string | Iterable<string>) {
    this.idList.reset(ids);
  }

  get classList(): TokenList {
    const classes = this.#classList;
    return classes instanceof TokenList
      ? classes
      : (this.#classList = tokenListOf(this, 'class', classes ?? ''));
  }
  set classList(classes: string | Iterable<string>) {
    this.classList.reset(classes);
  }

  get style(): StyleMap {
    const rare = rareOf(this);
    return (rare.style ??= new StyleMap(this));
  }
  set style(style: string | Readonly<Record<string, StyleValue>>) {
    this.style.reset(style);
  }

  /** Declared input events (name → debounce ms). */
  get events(): EventDeclarations {
    const rare = rareOf(this);
    return (rare.events ??= new EventDeclarations(this));
  }
  set events(declarations: Iterable<EventDeclaration>) {
    this.events.reset(declarations);
  }

  get handleClick(): InputEventHandler | null {
    return handlerFor(this.#rare?.handlers, 'click') ?? null;
  }
  set handleClick(handler: InputEventHandler | null | undefined) {
    setHandler(this, 'click', 'handleClick', handler);
  }
  get handleChange(): InputEventHandler | null {
    return handlerFor(this.#rare?.handlers, 'change') ?? null;
  }
  set handleChange(handler: InputEventHandler | null | undefined) {
    setHandler(this, 'change', 'handleChange', handler);
  }
  get handleFocus(): InputEventHandler | null {
    return handlerFor(this.#rare?.handlers, 'focus') ?? null;
  }
  set handleFocus(handler: InputEventHandler | null | undefined) {
    setHandler(this, 'focus', 'handleFocus', handler);
  }
  get handleBlur(): InputEventHandler | null {
    return handlerFor(this.#rare?.handlers, 'blur') ?? null;
  }
  set handleBlur(handler: InputEventHandler | null | undefined) {
    setHandler(this, 'blur', 'handleBlur', handler);
  }
  get handleSubmit(): InputEventHandler | null {
    return handlerFor(this.#rare?.handlers, 'submit') ?? null;
  }
  set handleSubmit(handler: InputEventHandler | null | undefined) {
    setHandler(this, 'submit', 'handleSubmit', handler);
  }

  /** Whether this node declares the event `name` (so the client may send it). */
  declaresEvent(name: string): boolean {
    return this.#rare?.events?.has(name) ?? false;
  }

  /** The handler set through a handler prop, by prop name ('handleClick', ...). */
  getHandler(prop: string): InputEventHandler | undefined {
    const event = HANDLER_EVENTS[prop];
    return event === undefined ? undefined : handlerFor(this.#rare?.handlers, event);
  }

  /** Whether this node's class overrides handleInputEvent (the runtime then calls it). */
  hasOwnInputEventHandler(): boolean {
    return this.handleInputEvent !== Node.prototype.handleInputEvent;
  }

  /**
   * Called by the view runtime for this node and each ancestor. The default calls the
   * handler for `event.name` and returns its result, or returns the event (not handled).
   * Override it to handle custom events.
   */
  handleInputEvent(event: NodeInputEvent): unknown {
    const handler = handlerFor(this.#rare?.handlers, event.name);
    return handler === undefined ? event : handler.call(this, event);
  }

  /** Name of the client widget class (Lona.registerWidget), or null. */
  get widget(): string | null {
    return this.#rare?.widget ?? null;
  }
  set widget(name: string | null) {
    if (name !== null && (typeof name !== 'string' || name === '')) {
      throw new LonaError('LONA_ERR_HTML_BAD_PROP', {
        name: 'widget',
        node: `<${this.tagName}>`,
        expected: 'a widget class name or null',
        got: describeValue(name),
      });
    }
    if (name === this.widget) return;
    rareOf(this).widget = name;
    shownBy(this)?.recordWidget(this);
  }

  /**
   * JSON data for the widget. Reassign it or change it in place (`data.items.push(x)`):
   * the recorder compares it with what the client has at every flush.
   */
  get widgetData(): unknown {
    return this.#rare?.widgetData ?? null;
  }
  set widgetData(data: unknown) {
    toJson(data); // throws LONA_ERR_HTML_BAD_WIDGET_DATA now rather than at flush
    if (data !== null || this.#rare !== null) rareOf(this).widgetData = data;
  }

  /** Server-only data attached to this node; never sent to the browser. */
  get state(): Record<string, unknown> {
    const rare = rareOf(this);
    return (rare.state ??= {});
  }
  set state(state: Record<string, unknown>) {
    rareOf(this).state = state;
  }

  hide(): this {
    this.style.set('display', 'none');
    return this;
  }

  show(): this {
    const style = this.#rare?.style;
    if (style?.get('display') === 'none') style.delete('display');
    return this;
  }

  matches(selector: string): boolean {
    return matches(this, selector);
  }

  closest(selector: string): Node | null {
    return closest(this, selector);
  }

  /**
   * Same tag, ids, classes, style, attributes, widget, widget data and children (sets
   * compare without order). Events, handlers and state are behaviour, not structure.
   */
  equals(other: unknown): boolean {
    if (other === this) return true;
    if (!(other instanceof Node) || other.tagName !== this.tagName) return false;
    return (
      sameTokens(this.#idList, other.#idList) &&
      sameTokens(this.#classList, other.#classList) &&
      sameMap(internals.style(this), internals.style(other)) &&
      sameMap(
        this.#attributes && attributeEntries(this.#attributes),
        other.#attributes && attributeEntries(other.#attributes),
      ) &&
      this.widget === other.widget &&
      sameJson(this.widgetData, other.widgetData) &&
      this.childrenEqual(other)
    );
  }

  toString(): string {
    return renderHtml(this);
  }

  static {
    baseInternals.setKind(this, KIND.ELEMENT);
    rareOf = (node) => (node.#rare ??= new Rare());
    setHandler = (node, event, prop, handler) => {
      const handlers = node.#rare?.handlers ?? [];
      const i = handlers.indexOf(event);
      if (handler === null || handler === undefined) {
        if (i >= 0) rareOf(node).handlers = handlers.slice(0, i).concat(handlers.slice(i + 2));
        return;
      }
      if (typeof handler !== 'function') {
        throw new LonaError('LONA_ERR_HTML_BAD_HANDLER', {
          name: prop,
          got: describeValue(handler),
        });
      }
      // A new array each time (handlers are rarely set) so it is exactly sized.
      const next = i < 0 ? handlers.concat(event, handler) : handlers.slice();
      if (i >= 0) next[i + 1] = handler;
      rareOf(node).handlers = next;
      if (!node.events.has(event)) node.events.add(event);
    };
    addTokens = (node, list, tokens) => {
      const current = list === 'id' ? node.#idList : node.#classList;
      // The string form is only for a list that is still empty on a node no client has, so
      // no patch is skipped; anything else (or a bad token, to throw) goes through the list.
      if (current === null && tokens.length > 0 && shownBy(node) === null && fresh(tokens)) {
        const text = tokens.join(' ');
        if (list === 'id') node.#idList = text;
        else node.#classList = text;
        return;
      }
      (list === 'id' ? node.idList : node.classList).add(...tokens);
    };
    internals.addTokens = addTokens;
    internals.tokenText = (node, list) => {
      const tokens = list === 'id' ? node.#idList : node.#classList;
      return tokens === null ? '' : typeof tokens === 'string' ? tokens : tokens.toString();
    };
    internals.hasToken = (node, list, token) => {
      const tokens = list === 'id' ? node.#idList : node.#classList;
      if (tokens === null) return false;
      return typeof tokens === 'string' ? splitTokens(tokens).includes(token) : tokens.has(token);
    };
    internals.attributes = (node) => node.#attributes && attributeEntries(node.#attributes);
    internals.style = (node) => {
      const style = node.#rare?.style;
      return style == null ? null : styleEntries(style);
    };
    internals.events = (node) => {
      const events = node.#rare?.events;
      return events == null ? null : eventMap(events);
    };
  }
}

function handlerFor(
  handlers: Handlers | null | undefined,
  event: string,
): InputEventHandler | undefined {
  if (handlers == null) return undefined;
  const i = handlers.indexOf(event);
  return i < 0 ? undefined : (handlers[i + 1] as InputEventHandler);
}

/** Valid tokens without repeats: what a TokenList would hold after adding them all. */
function fresh(tokens: readonly string[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (!isToken(tokens[i]) || tokens.indexOf(tokens[i] as string, i + 1) >= 0) return false;
  }
  return true;
}

function splitTokens(text: string): readonly string[] {
  return text === '' ? [] : text.includes(' ') ? text.split(' ') : [text];
}

/** Same tokens in any order (both sides hold each token once). */
function sameTokens(a: Tokens, b: Tokens): boolean {
  const ta = a === null ? [] : typeof a === 'string' ? splitTokens(a) : a;
  const tb = b === null ? [] : typeof b === 'string' ? splitTokens(b) : b;
  const size = (t: readonly string[] | TokenList): number =>
    t instanceof TokenList ? t.size : t.length;
  if (size(ta) !== size(tb)) return false;
  for (const token of ta) {
    if (!(tb instanceof TokenList ? tb.has(token) : tb.includes(token))) return false;
  }
  return true;
}

function sameMap(
  a: ReadonlyMap<string, string> | null,
  b: ReadonlyMap<string, string> | null,
): boolean {
  const sa = a === null ? 0 : a.size;
  if (sa !== (b === null ? 0 : b.size)) return false;
  if (sa === 0) return true;
  for (const [key, value] of a as ReadonlyMap<string, string>)
    if (b?.get(key) !== value) return false;
  return true;
}
