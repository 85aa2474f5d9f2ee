/**
 * The markup safety rules of SPEC §8, and the two docs/security.md adds (`srcdoc`, SVG
 * animation values), as pure functions, so that the server (when it builds nodes) and the
 * browser client (when it sets attributes again) apply the very same checks. It does not
 * escape or sanitize anything: callers refuse a value that fails a check.
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

/**
 * Attributes that hold a whole HTML document (`<iframe srcdoc>`), which runs script with
 * the page's origin unless sandboxed. Refused on every element whatever the value, like
 * event handlers: `sandbox` cannot make them safe, because it may come later, be lifted
 * by a later change, or allow scripts. (SPEC §8 does not list them; docs/security.md.)
 */
export const DOCUMENT_ATTRIBUTES: ReadonlySet<string> = new Set(['srcdoc']);

/** SVG animation elements (lower case): they can set their target's `href` to one of their values. */
export const ANIMATION_ELEMENTS: ReadonlySet<string> = new Set([
  'animate',
  'set',
  'animatemotion',
  'animatetransform',
]);

/** The attributes of an animation element that hold the values it sets (`values` is a `;` list). */
export const ANIMATION_VALUE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'values',
  'to',
  'from',
  'by',
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
 * The URLs an attribute value holds, to be checked with `isSafeUrl`: the value of a URL
 * attribute, the candidates of a `srcset`, and the values an SVG animation element may
 * give its target (whatever its `attributeName`, so that no attribute order matters), each
 * trimmed of any white space, more than a browser strips before it reads a scheme. Else none.
 */
export function attributeUrls(tagName: string, name: string, value: string): string[] {
  const lower = name.toLowerCase();
  if (lower === 'srcset') return srcsetUrls(value);
  if (URL_ATTRIBUTES.has(lower)) return [value];
  if (ANIMATION_VALUE_ATTRIBUTES.has(lower) && ANIMATION_ELEMENTS.has(tagName.toLowerCase()))
    return (lower === 'values' ? value.split(';') : [value]).map((v) => v.trim());
  return [];
}

/**
 * Checks one attribute against SPEC §8 (and the rules docs/security.md adds: `srcdoc`,
 * animation values). Returns `null` when it may be set, else a sentence saying why not
 * (for error messages on either side).
 */
export function checkAttribute(tagName: string, name: string, value: string): string | null {
  if (!ATTRIBUTE_NAME_RE.test(name)) return `invalid attribute name '${name}'`;
  if (/^on/i.test(name)) return `event handler attribute '${name}' is not allowed`;
  if (DOCUMENT_ATTRIBUTES.has(name.toLowerCase()))
    return `attribute '${name}' holds a whole document and is not allowed`;
  const bad = attributeUrls(tagName, name, value).find((url) => !isSafeUrl(url, tagName));
  return bad === undefined
    ? null
    : `unsafe URL '${bad.slice(0, 60)}' in attribute '${name}' of <${tagName}>`;
}
