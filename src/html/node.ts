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
import { EventDeclarations, eventEntries, type EventDeclaration } from './event-declarations.js';
import type { InputEventHandler, NodeInputEvent } from './input-event.js';
import { internals } from './internals.js';
import type { Child } from './node-list.js';
import { applyProps, isProps, type NodeProps } from './node-props.js';
import { ParentNode } from './parent-node.js';
import { renderHtml } from './render-html.js';
import { closest, matches } from './selector.js';
import { StyleMap, styleEntries, type StyleValue } from './style-map.js';
import { TokenList, tokenSet } from './token-list.js';
import { sameJson, toJson } from './widget-json.js';

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
  // Each part is created on first use, so a plain <div> carries no empty maps.
  #attributes: AttributeMap | null = null;
  #idList: TokenList | null = null;
  #classList: TokenList | null = null;
  #style: StyleMap | null = null;
  #events: EventDeclarations | null = null;
  #handlers: Map<string, InputEventHandler> | null = null;
  #widget: string | null = null;
  #widgetData: unknown = null;
  #state: Record<string, unknown> | null = null;

  constructor(props?: NodeProps | Child, ...children: Child[]) {
    super(KIND.ELEMENT);
    const ctor = this.constructor as typeof Node;
    const own = isProps(props) ? props : undefined;
    const tagName = own?.tagName ?? ctor.TAG_NAME;
    if (typeof tagName !== 'string' || !TAG_NAME_RE.test(tagName)) {
      throw new LonaError('LONA_ERR_HTML_BAD_TAG_NAME', { name: String(tagName) });
    }
    this.tagName = tagName;
    this.#widget = ctor.WIDGET;
    if (ctor.CLASS_LIST.length > 0) this.classList.add(...ctor.CLASS_LIST);
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
    return (this.#idList ??= new TokenList(this, 'id'));
  }
  set idList(ids: string | Iterable<string>) {
    this.idList.reset(ids);
  }

  get classList(): TokenList {
    return (this.#classList ??= new TokenList(this, 'class'));
  }
  set classList(classes: string | Iterable<string>) {
    this.classList.reset(classes);
  }

  get style(): StyleMap {
    return (this.#style ??= new StyleMap(this));
  }
  set style(style: string | Readonly<Record<string, StyleValue>>) {
    this.style.reset(style);
  }

  /** Declared input events (name → debounce ms). */
  get events(): EventDeclarations {
    return (this.#events ??= new EventDeclarations(this));
  }
  set events(declarations: Iterable<EventDeclaration>) {
    this.events.reset(declarations);
  }

  get handleClick(): InputEventHandler | null {
    return this.#handlers?.get('click') ?? null;
  }
  set handleClick(handler: InputEventHandler | null | undefined) {
    this.#setHandler('click', 'handleClick', handler);
  }
  get handleChange(): InputEventHandler | null {
    return this.#handlers?.get('change') ?? null;
  }
  set handleChange(handler: InputEventHandler | null | undefined) {
    this.#setHandler('change', 'handleChange', handler);
  }
  get handleFocus(): InputEventHandler | null {
    return this.#handlers?.get('focus') ?? null;
  }
  set handleFocus(handler: InputEventHandler | null | undefined) {
    this.#setHandler('focus', 'handleFocus', handler);
  }
  get handleBlur(): InputEventHandler | null {
    return this.#handlers?.get('blur') ?? null;
  }
  set handleBlur(handler: InputEventHandler | null | undefined) {
    this.#setHandler('blur', 'handleBlur', handler);
  }
  get handleSubmit(): InputEventHandler | null {
    return this.#handlers?.get('submit') ?? null;
  }
  set handleSubmit(handler: InputEventHandler | null | undefined) {
    this.#setHandler('submit', 'handleSubmit', handler);
  }

  /** Whether this node declares the event `name` (so the client may send it). */
  declaresEvent(name: string): boolean {
    return this.#events?.has(name) ?? false;
  }

  /** The handler set through a handler prop, by prop name ('handleClick', ...). */
  getHandler(prop: string): InputEventHandler | undefined {
    const event = HANDLER_EVENTS[prop];
    return event === undefined ? undefined : this.#handlers?.get(event);
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
    const handler = this.#handlers?.get(event.name);
    return handler === undefined ? event : handler.call(this, event);
  }

  /** Name of the client widget class (Lona.registerWidget), or null. */
  get widget(): string | null {
    return this.#widget;
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
    if (name === this.#widget) return;
    this.#widget = name;
    shownBy(this)?.recordWidget(this);
  }

  /**
   * JSON data for the widget. Reassign it or change it in place (`data.items.push(x)`):
   * the recorder compares it with what the client has at every flush.
   */
  get widgetData(): unknown {
    return this.#widgetData;
  }
  set widgetData(data: unknown) {
    toJson(data); // throws LONA_ERR_HTML_BAD_WIDGET_DATA now rather than at flush
    this.#widgetData = data;
  }

  /** Server-only data attached to this node; never sent to the browser. */
  get state(): Record<string, unknown> {
    return (this.#state ??= {});
  }
  set state(state: Record<string, unknown>) {
    this.#state = state;
  }

  hide(): this {
    this.style.set('display', 'none');
    return this;
  }

  show(): this {
    if (this.#style?.get('display') === 'none') this.#style.delete('display');
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
      sameSet(this.#idList, other.#idList) &&
      sameSet(this.#classList, other.#classList) &&
      sameMap(
        this.#style && styleEntries(this.#style),
        other.#style && styleEntries(other.#style),
      ) &&
      sameMap(
        this.#attributes && attributeEntries(this.#attributes),
        other.#attributes && attributeEntries(other.#attributes),
      ) &&
      this.#widget === other.#widget &&
      sameJson(this.#widgetData, other.#widgetData) &&
      this.childrenEqual(other)
    );
  }

  toString(): string {
    return renderHtml(this);
  }

  #setHandler(event: string, prop: string, handler: InputEventHandler | null | undefined): void {
    if (handler === null || handler === undefined) {
      this.#handlers?.delete(event);
      return;
    }
    if (typeof handler !== 'function') {
      throw new LonaError('LONA_ERR_HTML_BAD_HANDLER', { name: prop, got: describeValue(handler) });
    }
    (this.#handlers ??= new Map()).set(event, handler);
    if (!this.events.has(event)) this.events.add(event);
  }

  static {
    internals.attributes = (node) => node.#attributes && attributeEntries(node.#attributes);
    internals.ids = (node) => node.#idList && tokenSet(node.#idList);
    internals.classes = (node) => node.#classList && tokenSet(node.#classList);
    internals.style = (node) => node.#style && styleEntries(node.#style);
    internals.events = (node) => node.#events && eventEntries(node.#events);
  }
}

function sameSet(a: TokenList | null, b: TokenList | null): boolean {
  const sa = a === null ? 0 : a.size;
  if (sa !== (b === null ? 0 : b.size)) return false;
  if (sa === 0) return true;
  for (const token of a as TokenList) if (!(b as TokenList).has(token)) return false;
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
