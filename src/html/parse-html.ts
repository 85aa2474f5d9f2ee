/**
 * parseHtml: builds nodes from an HTML string with a real HTML parser (parse5), using the
 * same classes as the constructors (inputs by type, select/option, textarea, radio
 * groups). The string is TRUSTED INPUT (SPEC §3.5): URL attributes are taken as if
 * wrapped in unsafeUrl(); attribute names are still checked. Comments and doctypes are
 * dropped; whitespace-only text between top-level nodes is dropped, elsewhere text is kept
 * as written, so `parseHtml(node.toString()).equals(node)` holds for trees without widgets.
 */
import { parse, parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import type { AttributeValue } from './attribute-checks.js';
import type { BaseNode } from './base-node.js';
import { HTML } from './fragment.js';
import { Node } from './node.js';
import { classForTag } from './tag-classes.js';
import { TextNode } from './text-node.js';
import { unsafeUrl } from './url-safety.js';

type ParsedNode = DefaultTreeAdapterMap['childNode'];
type ParsedElement = DefaultTreeAdapterMap['element'];

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
const DOCUMENT_START = /^\s*(<!doctype|<html[\s>])/i;
const WHITESPACE_ONLY = /^\s*$/;

/** One element when the markup holds exactly one at the top level, else an HTML fragment. */
export function parseHtml(html: string): Node | HTML {
  const parsed = DOCUMENT_START.test(html) ? parse(html) : parseFragment(html);
  const nodes: BaseNode[] = [];
  for (const child of parsed.childNodes) {
    if (child.nodeName === '#text' && WHITESPACE_ONLY.test((child as { value: string }).value))
      continue;
    const node = convert(child);
    if (node !== null) nodes.push(node);
  }
  const [only] = nodes;
  return nodes.length === 1 && only instanceof Node ? only : new HTML(nodes);
}

function convert(parsed: ParsedNode): BaseNode | null {
  if (parsed.nodeName === '#text')
    return new TextNode((parsed as DefaultTreeAdapterMap['textNode']).value);
  if (!('tagName' in parsed)) return null; // comments, doctypes
  return convertElement(parsed);
}

function convertElement(element: ParsedElement): Node {
  const attributes: Record<string, AttributeValue> = {};
  const props: Record<string, unknown> = { attributes };
  for (const attr of element.attrs) {
    const name = attr.prefix ? `${attr.prefix}:${attr.name}` : attr.name;
    if (name === 'id' || name === 'class' || name === 'style') props[name] = attr.value;
    else attributes[name] = unsafeUrl(attr.value);
  }
  const svg = element.namespaceURI === SVG_NAMESPACE;
  const plain = Object.fromEntries(element.attrs.map((a) => [a.name, a.value]));
  const cls = classForTag(element.tagName, plain, svg);
  if (cls === undefined || cls.TAG_NAME !== element.tagName) props.tagName = element.tagName;
  const source =
    element.tagName === 'template'
      ? (element as DefaultTreeAdapterMap['template']).content
      : element;
  const children: BaseNode[] = [];
  for (const child of source.childNodes) {
    const node = convert(child);
    if (node !== null) children.push(node);
  }
  return new (cls ?? Node)(props, children);
}
