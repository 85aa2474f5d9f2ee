/**
 * Serialized nodes (protocol/nodes.ts) → DOM nodes, registered in the NodeMap. It owns
 * namespaces (derived as the HTML parser does), trusted markup (RawHtml), attribute checks
 * (SPEC §8) and inert script elements. It does not decide where nodes go: the caller
 * inserts what `renderNode` returns; patch-applier.ts and dom-view.ts are the callers.
 *
 * Scripts never run. A `<script>` made by `createElement` runs when inserted (or when it
 * later gets text or a `src`), so script elements are instead made by the HTML fragment
 * parser (a `<template>`'s innerHTML), which marks them "already started": by the HTML
 * spec such a script never runs, wherever it is moved and whatever text or src it gets
 * later. Its tag, attributes and text stay as the server sent them, so the view's
 * innerHTML still equals the server's HTML. Markup of a RawHtml is parsed the same way
 * and its nodes are moved (never cloned, which could lose the flag) into the document.
 */
import { checkAttribute, TAG_NAME_RE } from '../protocol/markup-rules.js';
import { NODE_TYPE, type NodeId, type SerializedNode, type WidgetSpec } from '../protocol/nodes.js';
import type { NodeMap } from './node-map.js';

export const NS_HTML = 'http://www.w3.org/1999/xhtml';
export const NS_SVG = 'http://www.w3.org/2000/svg';
const NS_MATHML = 'http://www.w3.org/1998/Math/MathML';
const NS_XLINK = 'http://www.w3.org/1999/xlink';
const NS_XML = 'http://www.w3.org/XML/1998/namespace';
const NS_XMLNS = 'http://www.w3.org/2000/xmlns/';

/** What rendering needs from its surroundings. */
export interface RenderContext {
  readonly doc: Document;
  readonly map: NodeMap;
  /** Attaches a widget to a freshly rendered element (constructed at the end of the batch). */
  attachWidget(id: NodeId, root: Element, spec: WidgetSpec): void;
  /** Reports an error that was handled by skipping something (e.g. a refused attribute). */
  report(error: Error): void;
}

/** The namespace of the children of `parent`, as the HTML parser would give them. */
export function childNamespace(parent: Node | null): string {
  if (!parent || parent.nodeType !== 1) return NS_HTML;
  const { namespaceURI: ns, localName } = parent as Element;
  // HTML integration points (SVG) and text integration points (MathML) hold HTML.
  if (ns === NS_SVG && /^(foreignObject|desc|title)$/.test(localName)) return NS_HTML;
  if (ns === NS_MATHML && /^m[ionst]$|^mtext$/.test(localName)) return NS_HTML;
  return ns ?? NS_HTML;
}

/**
 * Renders one serialized node (and its subtree) and registers its ids. Returns the DOM
 * nodes to insert: one, or for a RawHtml every top-level node of its markup.
 * Throws on a structural problem (bad tag name, duplicate id); refused attributes are
 * reported and skipped.
 */
export function renderNode(node: SerializedNode, ns: string, ctx: RenderContext): Node[] {
  const { doc, map } = ctx;
  switch (node[0]) {
    case NODE_TYPE.TEXT: {
      const text = doc.createTextNode(node[2]);
      map.add(node[1], text);
      return [text];
    }
    case NODE_TYPE.RAW_HTML: {
      const nodes = parseMarkup(doc, node[2], ns);
      map.addRaw(node[1], nodes);
      return nodes;
    }
    case NODE_TYPE.ELEMENT: {
      const [, id, tagName, attributes, children, events, widget] = node;
      const element = createElement(doc, tagName, ns);
      for (const name in attributes) setAttribute(element, name, attributes[name]!, ctx.report);
      const inner = childNamespace(element);
      for (const child of children) element.append(...renderNode(child, inner, ctx));
      map.add(id, element);
      map.setEvents(id, events);
      if (widget) ctx.attachWidget(id, element, widget);
      return [element];
    }
    default:
      throw new Error(`Unknown node type in ${JSON.stringify(node).slice(0, 80)}`);
  }
}

function createElement(doc: Document, tagName: string, ns: string): Element {
  if (!TAG_NAME_RE.test(tagName)) throw new Error(`Invalid tag name '${tagName}'`);
  const lower = tagName.toLowerCase();
  if (lower === 'svg') ns = NS_SVG;
  else if (lower === 'math') ns = NS_MATHML;
  if (lower === 'script' && ns !== NS_MATHML) return inertScript(doc, ns);
  return ns === NS_HTML ? doc.createElement(tagName) : doc.createElementNS(ns, tagName);
}

/** A script element made by the fragment parser, so that it never runs (see header). */
function inertScript(doc: Document, ns: string): Element {
  // The space gives the parser some script text to read, which some DOM implementations
  // need before they mark the element as not to be run.
  const [script] = parseMarkup(doc, '<script> </script>', ns) as [Element];
  script.textContent = '';
  return script;
}

/**
 * Parses trusted markup in the context of namespace `ns` and returns its top-level nodes,
 * detached. An empty result becomes one empty text node, so that a RawHtml always has a
 * DOM node to remove, replace or insert before.
 */
export function parseMarkup(doc: Document, html: string, ns: string): Node[] {
  const template = doc.createElement('template');
  const wrapper = ns === NS_SVG ? 'svg' : ns === NS_MATHML ? 'math' : '';
  template.innerHTML = wrapper ? `<${wrapper}>${html}</${wrapper}>` : html;
  let parent: ParentNode = template.content;
  if (wrapper && parent.firstChild) parent = parent.firstChild as Element;
  const nodes = Array.from(parent.childNodes);
  for (const node of nodes) node.parentNode?.removeChild(node);
  return nodes.length > 0 ? nodes : [doc.createTextNode('')];
}

/**
 * Sets an attribute after checking its name and URL (SPEC §8). A refused attribute is
 * reported and not set. Prefixed names get their XML namespace, as the HTML parser gives
 * them (`xlink:href` must be in the XLink namespace for SVG to follow it).
 */
export function setAttribute(
  element: Element,
  name: string,
  value: string,
  report: (error: Error) => void,
): void {
  const problem = checkAttribute(element.localName, name, value);
  if (problem !== null) {
    report(new Error(`Refused attribute: ${problem}`));
    return;
  }
  try {
    const ns = attributeNamespace(name);
    if (ns) element.setAttributeNS(ns, name, value);
    else element.setAttribute(name, value);
  } catch (error) {
    report(error instanceof Error ? error : new Error(String(error)));
  }
}

export function removeAttribute(element: Element, name: string): void {
  const ns = attributeNamespace(name);
  if (ns) element.removeAttributeNS(ns, name.slice(name.indexOf(':') + 1));
  else element.removeAttribute(name);
}

function attributeNamespace(name: string): string | null {
  if (name.startsWith('xlink:')) return NS_XLINK;
  if (name.startsWith('xml:')) return NS_XML;
  if (name === 'xmlns' || name.startsWith('xmlns:')) return NS_XMLNS;
  return null;
}
