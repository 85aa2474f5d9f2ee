/**
 * Renders a node tree as HTML for HTTP responses (`node.toString()`): one pass of string
 * concatenation. Text is escaped (`& < >`), attribute values escaped (`& " < >`) and
 * double-quoted, '' values render as a bare name, void elements get no end tag, RawHtml is
 * written verbatim (trusted), and script/style text is written raw but may not contain its
 * own end tag. Node ids and events are not rendered: this is markup, not the live tree.
 */
import { LonaError } from '../errors.js';
import { KIND, baseInternals, type BaseNode } from './base-node.js';
import { escapeAttribute, escapeText } from './escape.js';
import { RAW_TEXT_TAGS, VOID_TAGS } from './html-spec.js';
import { internals } from './internals.js';
import type { Node } from './node.js';
import type { ParentNode } from './parent-node.js';
import type { RawHtml } from './raw-html.js';
import { styleText } from './style-map.js';
import type { TextNode } from './text-node.js';

const { kind } = baseInternals;

export function renderHtml(node: BaseNode): string {
  return render(node, '');
}

function render(node: BaseNode, out: string): string {
  switch (kind(node)) {
    case KIND.TEXT:
      return out + escapeText((node as TextNode).text);
    case KIND.RAW_HTML:
      return out + (node as RawHtml).html;
    case KIND.FRAGMENT:
      for (const child of internals.children(node as ParentNode)) out = render(child, out);
      return out;
    default:
      return renderElement(node as Node, out);
  }
}

function attribute(name: string, value: string): string {
  return value === '' ? ' ' + name : ' ' + name + '="' + escapeAttribute(value) + '"';
}

function renderElement(node: Node, out: string): string {
  const tag = node.tagName;
  out += '<' + tag;
  const ids = internals.tokenText(node, 'id');
  if (ids !== '') out += attribute('id', ids);
  const classes = internals.tokenText(node, 'class');
  if (classes !== '') out += attribute('class', classes);
  const style = internals.style(node);
  if (style !== null && style.size > 0) out += attribute('style', styleText(style));
  const attributes = internals.attributes(node);
  if (attributes !== null) for (const [name, value] of attributes) out += attribute(name, value);
  out += '>';
  const lower = tag.toLowerCase();
  if (VOID_TAGS.has(lower)) return out;
  if (RAW_TEXT_TAGS.has(lower)) {
    const text = node.getText();
    if (text.toLowerCase().includes('</' + lower)) {
      throw new LonaError('LONA_ERR_HTML_SCRIPT_CLOSING_TAG', { tag: lower });
    }
    out += text;
  } else {
    const children = internals.children(node);
    // The parser drops one newline right after <pre> or <textarea>; write one more to keep it.
    const first = children[0];
    if (
      (lower === 'pre' || lower === 'textarea') &&
      first !== undefined &&
      kind(first) === KIND.TEXT
    ) {
      if ((first as TextNode).text.startsWith('\n')) out += '\n';
    }
    for (const child of children) out = render(child, out);
  }
  return out + '</' + tag + '>';
}
