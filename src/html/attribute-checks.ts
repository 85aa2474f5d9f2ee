/**
 * The markup safety rules for attributes (SPEC §8): which names are allowed, which are
 * reserved for idList/classList/style, which are refused whatever their value (`srcdoc`,
 * protocol/markup-rules.ts), and which values are allowed (URL schemes are url-safety.ts's).
 * AttributeMap applies them on every set; the client checks again.
 */
import { LonaError } from '../errors.js';
import { DOCUMENT_ATTRIBUTES } from '../protocol/markup-rules.js';
import { describeValue } from './escape.js';
import { UnsafeUrl, checkUrl } from './url-safety.js';

/** Values an attribute accepts; `false`, `null` and `undefined` mean absent. */
export type AttributeValue = string | number | boolean | null | undefined | UnsafeUrl;

const NAME_RE = /^[A-Za-z_:][-A-Za-z0-9_.:]*$/;
const RESERVED: Record<string, string> = { id: 'idList', class: 'classList', style: 'style' };

/** Throws unless `name` may be set through `attributes` (SPEC §8). */
export function checkAttributeName(name: string): void {
  const api = RESERVED[name.toLowerCase()];
  if (api !== undefined) throw new LonaError('LONA_ERR_HTML_RESERVED_ATTRIBUTE', { name, api });
  if (!NAME_RE.test(name) || (name.length >= 2 && name.slice(0, 2).toLowerCase() === 'on')) {
    throw new LonaError('LONA_ERR_HTML_BAD_ATTRIBUTE_NAME', { name });
  }
  // A name rule, like event handlers: neither unsafeUrl() nor parseHtml() lets it through.
  if (DOCUMENT_ATTRIBUTES.has(name.toLowerCase()))
    throw new LonaError('LONA_ERR_HTML_UNSAFE_ATTRIBUTE', { name });
}

/**
 * Turns an attribute value into its wire string: `true` → '', numbers → decimal text;
 * `null` for absent. Values holding URLs (url-safety.ts) are checked unless the value is an
 * UnsafeUrl.
 */
export function attributeString(tagName: string, name: string, value: unknown): string | null {
  if (typeof value === 'string') {
    checkUrl(tagName, name, value);
    return value;
  }
  if (value === true) return '';
  if (value === false || value === null || value === undefined) return null;
  if (typeof value === 'number') return String(value);
  if (value instanceof UnsafeUrl) return value.url;
  throw new LonaError('LONA_ERR_HTML_BAD_ATTRIBUTE_VALUE', { name, got: describeValue(value) });
}
