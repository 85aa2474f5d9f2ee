/**
 * Which URLs lona-ts puts into markup or redirects (SPEC §8): http(s), mailto, tel,
 * relative URLs, and data:image/* on <img>. Anything else (javascript:, data:text/html,
 * vbscript:, ...) is a coded error unless the caller vouches for it with `unsafeUrl()`.
 * Attributes use `checkUrl` (which also checks SVG animation values, docs/security.md); the
 * server's redirects use `checkRedirectUrl`.
 */
import { LonaError } from '../errors.js';
import { attributeUrls } from '../protocol/markup-rules.js';

/**
 * A URL the caller vouches for: URL attributes, srcset and SVG animation values accept it
 * whatever its scheme on the server (the browser client still refuses an unsafe one). It
 * does not let a refused name through (`on*`, `srcdoc`). Build it with `unsafeUrl()` only
 * for URLs your code wrote, never for URLs a user typed.
 */
export class UnsafeUrl {
  readonly url: string;

  constructor(url: string) {
    this.url = String(url);
    Object.freeze(this);
  }

  toString(): string {
    return this.url;
  }
}

/** Marks a trusted URL so that any scheme (javascript:, data:, ...) is accepted. */
export function unsafeUrl(url: string): UnsafeUrl {
  return new UnsafeUrl(url);
}

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);
const SCHEME_RE = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
// Browsers drop these before they read a scheme: "java\tscript:" is javascript:.
const IGNORED_IN_URL = /[\t\n\r]/g;
const LEADING_CONTROLS = /^[\u0000-\u0020]+/; // eslint-disable-line no-control-regex
const DATA_IMAGE = /^data:image\//i;

/** True for http(s), mailto, tel and relative URLs (and data:image/* when allowed). */
export function isSafeUrl(url: string, allowDataImage = false): boolean {
  const cleaned = url.replace(IGNORED_IN_URL, '').replace(LEADING_CONTROLS, '');
  const match = SCHEME_RE.exec(cleaned);
  if (match === null) return true; // relative
  const scheme = (match[1] as string).toLowerCase();
  if (SAFE_SCHEMES.has(scheme)) return true;
  return allowDataImage && scheme === 'data' && DATA_IMAGE.test(cleaned);
}

/**
 * Throws LONA_ERR_HTML_UNSAFE_URL when a value holding URLs (a URL attribute, a srcset
 * candidate, an SVG animation value: protocol/markup-rules.ts's `attributeUrls`, which the
 * client uses too) has a scheme that is not allowed.
 */
export function checkUrl(tagName: string, name: string, value: string): void {
  const allowDataImage = tagName.toLowerCase() === 'img';
  for (const url of attributeUrls(tagName, name, value)) {
    if (!isSafeUrl(url, allowDataImage))
      throw new LonaError('LONA_ERR_HTML_UNSAFE_URL', { name, url });
  }
}

/** Checks a redirect target (throws LONA_ERR_HTML_UNSAFE_REDIRECT) and returns it as a string. */
export function checkRedirectUrl(url: string | UnsafeUrl): string {
  if (url instanceof UnsafeUrl) return url.url;
  if (!isSafeUrl(url)) throw new LonaError('LONA_ERR_HTML_UNSAFE_REDIRECT', { url });
  return url;
}
