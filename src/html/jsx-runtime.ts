/**
 * The JSX runtime (`jsxImportSource: "lona-ts"`): `<Button handleClick={f}>+</Button>`
 * calls `new Button({ handleClick: f }, '+')`, so JSX builds the same node objects as the
 * constructors and they can be kept and changed later. Lowercase tags build the class
 * parseHtml would pick (`<div>` → Div, `<input type="checkbox">` → CheckBox) and take
 * HTML attributes: a string given for one of the class's own props (`value="3"`) is set as
 * that attribute, as in markup. Functions are called as components; `<>…</>` builds an
 * HTML fragment. A JSX expression is typed JSX.Element (BaseNode): TypeScript gives every
 * JSX expression that one type, even though `<Button>` is a Button at run time.
 */
import { BaseNode } from './base-node.js';
import { HTML } from './fragment.js';
import type { Child } from './node-list.js';
import type { NodeProps } from './node-props.js';
import { Node } from './node.js';
import { TextArea } from './nodes/forms/text-input.js';
import { classForTag, type NodeClass } from './tag-classes.js';

export const Fragment = HTML;

type Props = Record<string, unknown> & { children?: Child };
type Component = string | NodeClass | typeof HTML | ((props: Props) => BaseNode);

export function jsx(type: Component, props: Props, _key?: unknown): BaseNode {
  const { children, ...rest } = props;
  if (typeof type === 'string') return intrinsic(type, rest, children);
  if (type === HTML) return new HTML(children);
  if (type.prototype instanceof BaseNode)
    return new (type as NodeClass)(rest as NodeProps, children);
  return (type as (props: Props) => BaseNode)(props);
}

export const jsxs = jsx;

export function jsxDEV(type: Component, props: Props, key?: unknown): BaseNode {
  return jsx(type, props, key);
}

function intrinsic(tagName: string, props: Record<string, unknown>, children: Child): Node {
  const cls = classForTag(tagName, props);
  if (cls === undefined) return new Node({ ...props, tagName }, children);
  if (cls.TAG_NAME !== tagName) props.tagName = tagName;
  let attributes: Record<string, unknown> | undefined;
  for (const key of Object.keys(props)) {
    const value = props[key];
    if (typeof value !== 'string' || !cls.OWN_PROPS.has(key)) continue;
    if (cls === TextArea && key === 'value') continue; // a textarea's value is its text
    (attributes ??= {})[key] = value;
    delete props[key];
  }
  if (attributes !== undefined)
    props.attributes = { ...(props.attributes as object), ...attributes };
  return new cls(props as NodeProps, children);
}

type NotProps = BaseNode | string | number | boolean | null | undefined | Iterable<Child>;
/** The props of a node class: its constructor's first parameter, minus the child forms. */
type PropsOf<C> = C extends abstract new (...args: infer A) => unknown
  ? Exclude<A[0], NotProps>
  : never;

// TypeScript looks JSX types up in a namespace named JSX exported by the runtime.
// eslint-disable-next-line @typescript-eslint/no-namespace
export namespace JSX {
  export type Element = BaseNode;
  export type ElementClass = BaseNode;
  export interface ElementChildrenAttribute {
    children: unknown;
  }
  export interface IntrinsicElements {
    [tagName: string]: NodeProps & { children?: Child };
  }
  export type LibraryManagedAttributes<C, P> = C extends abstract new (...args: never[]) => unknown
    ? typeof HTML extends C // only HTML itself: every element class is also assignable to HTML
      ? { children?: Child }
      : PropsOf<C> & { children?: Child }
    : P;
}
