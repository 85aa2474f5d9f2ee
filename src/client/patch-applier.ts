/**
 * Applies one ordered batch of patches (protocol/patches.ts) to the DOM and the NodeMap.
 * It owns the meaning of each operation on the DOM, including the input-value rule (DOM
 * properties follow `value` / `checked` / `selected` and a textarea's text, except while
 * focused: input-values.ts) and keeping `id` / `class` / `style` attributes in the server's
 * own format, so the view's innerHTML stays equal to the server's HTML.
 * It throws on the first patch it cannot apply (unknown node id, wrong node kind): the
 * caller asks the server for the whole tree. Widget lifecycle calls happen in WidgetHost.
 */
import type { NodeId, WidgetSpec } from '../protocol/nodes.js';
import { PATCH_OP, type KeyPath, type Patch } from '../protocol/patches.js';
import type { InputValues } from './input-values.js';
import {
  childNamespace,
  parseMarkup,
  removeAttribute,
  renderNode,
  setAttribute,
  type RenderContext,
} from './render.js';

export interface PatchContext extends RenderContext {
  readonly values: InputValues;
  setWidget(id: NodeId, root: Element, spec: WidgetSpec | null): void;
  setWidgetData(id: NodeId, path: KeyPath, value: unknown): void;
  deleteWidgetData(id: NodeId, path: KeyPath): void;
}

export function applyPatches(patches: readonly Patch[], ctx: PatchContext): void {
  for (const patch of patches) {
    try {
      applyPatch(patch, ctx);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message} in patch ${JSON.stringify(patch).slice(0, 120)}`);
    }
  }
}

function applyPatch(patch: Patch, ctx: PatchContext): void {
  const { map } = ctx;
  switch (patch[0]) {
    case PATCH_OP.SET_TEXT: {
      const [, id, text] = patch;
      if (map.isRaw(id)) return replaceRaw(id, text, ctx);
      const node = map.node(id);
      if (node.nodeType !== 3) throw new Error(`Node id '${id}' is not a text node`);
      return inTextarea(node.parentNode, ctx, () => ((node as Text).data = text));
    }
    case PATCH_OP.INSERT: {
      const [, parentId, beforeId, node] = patch;
      const parent = map.element(parentId);
      const before = reference(parent, beforeId, ctx);
      const nodes = renderNode(node, childNamespace(parent), ctx);
      return inTextarea(parent, ctx, () => insert(parent, nodes, before));
    }
    case PATCH_OP.REMOVE: {
      const nodes = map.domNodes(patch[1]);
      return inTextarea(nodes[0]!.parentNode, ctx, () => {
        for (const node of nodes) {
          map.forget(node);
          node.parentNode?.removeChild(node);
        }
      });
    }
    case PATCH_OP.MOVE: {
      const [, id, parentId, beforeId] = patch;
      const nodes = map.domNodes(id);
      const parent = map.element(parentId);
      const before = reference(parent, beforeId, ctx);
      return move(parent, nodes, before);
    }
    case PATCH_OP.CLEAR: {
      const parent = map.element(patch[1]);
      for (let child = parent.firstChild; child; child = child.nextSibling) map.forget(child);
      return inTextarea(parent, ctx, () => (parent.textContent = ''));
    }
    case PATCH_OP.SET_ATTRIBUTE: {
      const [, id, name, value] = patch;
      const element = map.element(id);
      const set = () => setAttribute(element, name, value, ctx.report);
      const property = valueProperty(element, name);
      if (!property) return set();
      return ctx.values.update(element, property, set, () =>
        property === 'value' ? element.getAttribute('value') : element.hasAttribute(property),
      );
    }
    case PATCH_OP.REMOVE_ATTRIBUTE: {
      const [, id, name] = patch;
      const element = map.element(id);
      const remove = () => removeAttribute(element, name);
      const property = valueProperty(element, name);
      if (!property) return remove();
      return ctx.values.update(element, property, remove, () =>
        property === 'value' ? '' : false,
      );
    }
    case PATCH_OP.ADD_CLASS:
    case PATCH_OP.REMOVE_CLASS:
    case PATCH_OP.ADD_ID:
    case PATCH_OP.REMOVE_ID: {
      const [op, id, token] = patch;
      const name = op === PATCH_OP.ADD_CLASS || op === PATCH_OP.REMOVE_CLASS ? 'class' : 'id';
      const add = op === PATCH_OP.ADD_CLASS || op === PATCH_OP.ADD_ID;
      return editTokens(map.element(id), name, token, add);
    }
    case PATCH_OP.SET_STYLE:
      return editStyle(map.element(patch[1]), patch[2], patch[3], ctx);
    case PATCH_OP.REMOVE_STYLE:
      return editStyle(map.element(patch[1]), patch[2], null, ctx);
    case PATCH_OP.SET_EVENTS:
      map.element(patch[1]);
      return map.setEvents(patch[1], patch[2]);
    case PATCH_OP.SET_WIDGET:
      return ctx.setWidget(patch[1], map.element(patch[1]), patch[2]);
    case PATCH_OP.SET_WIDGET_DATA:
      return ctx.setWidgetData(patch[1], patch[2], patch[3]);
    case PATCH_OP.DELETE_WIDGET_DATA:
      return ctx.deleteWidgetData(patch[1], patch[2]);
    default:
      throw new Error(`Unknown patch operation '${String((patch as unknown[])[0])}'`);
  }
}

/** The DOM node to insert before: the first DOM node of sibling `beforeId`, or the end. */
function reference(parent: Element, beforeId: NodeId | null, ctx: PatchContext): Node | null {
  if (beforeId === null) return null;
  const node = ctx.map.domNodes(beforeId)[0]!;
  if (node.parentNode !== parent)
    throw new Error(`Node id '${beforeId}' is not a child of the parent`);
  return node;
}

function insert(parent: Element, nodes: Node[], before: Node | null): void {
  for (const node of nodes) parent.insertBefore(node, before);
}

/** Moves nodes; `moveBefore` (where the browser has it) keeps focus, media and iframes. */
function move(parent: Element, nodes: Node[], before: Node | null): void {
  const moveBefore = (parent as { moveBefore?: (node: Node, before: Node | null) => void })
    .moveBefore;
  if (before && nodes.includes(before)) throw new Error('Cannot move a node before itself');
  for (const node of nodes) {
    try {
      if (moveBefore && node.isConnected && parent.isConnected) {
        moveBefore.call(parent, node, before);
        continue;
      }
    } catch {
      // moveBefore refuses some moves (e.g. across documents): fall back to insertBefore.
    }
    parent.insertBefore(node, before);
  }
}

function replaceRaw(id: NodeId, html: string, ctx: PatchContext): void {
  const old = ctx.map.domNodes(id);
  const parent = old[0]!.parentNode;
  if (!parent) throw new Error(`RawHtml '${id}' is not in the document`);
  const nodes = parseMarkup(ctx.doc, html, childNamespace(parent));
  for (const node of nodes) parent.insertBefore(node, old[0]!);
  for (const node of old) node.parentNode?.removeChild(node);
  ctx.map.setRaw(id, nodes);
}

/** A textarea's text is its default value; the shown value follows it (focus rule). */
function inTextarea(parent: Node | null, ctx: PatchContext, mutate: () => void): void {
  if (parent?.nodeName !== 'TEXTAREA') return mutate();
  ctx.values.update(parent as Element, 'value', mutate, () => parent.textContent ?? '');
}

/** The DOM property an attribute drives, if the browser no longer reflects it. */
function valueProperty(element: Element, name: string): string | null {
  const tag = element.localName;
  if (tag === 'input' && (name === 'value' || name === 'checked')) return name;
  if (tag === 'option' && name === 'selected') return name;
  return null;
}

/** idList / classList edits on the attribute itself: order kept, attribute gone when empty. */
function editTokens(element: Element, name: string, token: string, add: boolean): void {
  const tokens = (element.getAttribute(name) ?? '').split(/\s+/).filter(Boolean);
  const index = tokens.indexOf(token);
  if (add && index < 0) tokens.push(token);
  if (!add && index >= 0) tokens.splice(index, 1);
  if (tokens.length > 0) element.setAttribute(name, tokens.join(' '));
  else element.removeAttribute(name);
}

/**
 * One style property, written into the `style` attribute in the server's format
 * (`a: b; c: d`, order kept) rather than through CSSOM, which would rewrite the attribute
 * (normalized values, expanded shorthands) and break innerHTML equality.
 */
function editStyle(
  element: Element,
  property: string,
  value: string | null,
  ctx: PatchContext,
): void {
  const styles = parseStyle(element.getAttribute('style') ?? '');
  if (value === null) styles.delete(property);
  else styles.set(property, value);
  if (styles.size === 0) return element.removeAttribute('style');
  const text = [...styles].map(([name, v]) => `${name}: ${v}`).join('; ');
  setAttribute(element, 'style', text, ctx.report);
}

/** Splits a style attribute at `;` outside quotes and parentheses (data URLs hold `;`). */
export function parseStyle(text: string): Map<string, string> {
  const styles = new Map<string, string>();
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === undefined || (c === ';' && depth === 0)) {
      const declaration = text.slice(start, i);
      const colon = declaration.indexOf(':');
      if (colon > 0) {
        styles.set(declaration.slice(0, colon).trim(), declaration.slice(colon + 1).trim());
      }
      start = i + 1;
    }
  }
  return styles;
}
