/**
 * The markup safety rules of SPEC §8 as pure functions, so that the server (when it builds
 * nodes) and the browser client (when it sets attributes again) apply the very same checks.
 * It does not escape or sanitize anything: callers refuse a value that fails a check.
 * No Node or DOM imports.
 */

/** Tag names the server renders and the client creates. */
export const TAG_NAME_RE = /^[A-Za-z][A-Za-z0-9-]*$/;

/** Attribute names; names starting with `on` (event handlers) are refused separately. */
export const ATTRIBUTE_NAME_RE = /^[A-Za-z_:][-A-Za-z0-9_.:]*$/;

/** Attributes whose value is a URL (or, for `srcset`, a list of image candidates). */
export const URL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'poster',
  'xlink:href',
  'srcset',
]);

const SAFE_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'mailto', 'tel']);

/**
 * Elements on which `data:image/*` URLs are allowed: they only ever display the data as
 * an image, which never runs script (unlike a frame, object or link target).
 */
const IMAGE_ELEMENTS: ReadonlySet<string> = new Set(['img', 'source', 'image', 'input']);

/**
 * Whether a URL may be used in a URL attribute of `tagName`: http(s), mailto, tel,
 * relative URLs, and `data:image/*` on images. The scheme is found the way the URL parser
 * finds it (leading C0 controls and spaces and every tab or newline ignored), so
 * `" java\tscript:"` is caught.
 */
export function isSafeUrl(url: string, tagName: string): boolean {
  // eslint-disable-next-line no-control-regex
  const cleaned = url.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(cleaned)?.[1]?.toLowerCase();
  if (scheme === undefined || SAFE_SCHEMES.has(scheme)) return true;
  return (
    scheme === 'data' && /^data:image\//i.test(cleaned) && IMAGE_ELEMENTS.has(tagName.toLowerCase())
  );
}

/** The URLs of a `srcset` value (image candidate strings, as the HTML spec splits them). */
export function srcsetUrls(srcset: string): string[] {
  const urls: string[] = [];
  let i = 0;
  const n = srcset.length;
  while (i < n) {
    while (i < n && /[\s,]/.test(srcset[i]!)) i++;
    const start = i;
    while (i < n && !/\s/.test(srcset[i]!)) i++;
    let url = srcset.slice(start, i);
    if (url === '') break;
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      // Skip the descriptors up to the next comma that is not inside parentheses.
      let depth = 0;
      for (; i < n; i++) {
        const c = srcset[i];
        if (c === '(') depth++;
        else if (c === ')') depth = Math.max(0, depth - 1);
        else if (c === ',' && depth === 0) break;
      }
    }
    urls.push(url);
  }
  return urls;
}

/**
 * Checks one attribute against SPEC §8. Returns `null` when it may be set, else a
 * sentence saying why not (for error messages on either side).
 */
export function checkAttribute(tagName: string, name: string, value: string): string | null {
  if (!ATTRIBUTE_NAME_RE.test(name)) return `invalid attribute name '${name}'`;
  if (/^on/i.test(name)) return `event handler attribute '${name}' is not allowed`;
  const lower = name.toLowerCase();
  if (!URL_ATTRIBUTES.has(lower)) return null;
  const urls = lower === 'srcset' ? srcsetUrls(value) : [value];
  const bad = urls.find((url) => !isSafeUrl(url, tagName));
  return bad === undefined
    ? null
    : `unsafe URL '${bad.slice(0, 60)}' in attribute '${name}' of <${tagName}>`;
}
