/**
 * Escaping for HTML text and attribute values (SPEC §8), and a short describer of bad
 * values for error messages. Rendering (render-html.ts) decides where each is used.
 */

const TEXT_SPECIAL = /[&<>]/;
const ATTRIBUTE_SPECIAL = /[&"<>]/;
const TEXT_ALL = /[&<>]/g;
const ATTRIBUTE_ALL = /[&"<>]/g;

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const entity = (ch: string): string => ENTITY[ch] as string;

/** Escapes `& < >`; most strings have none, so one test usually returns the input. */
export function escapeText(text: string): string {
  return TEXT_SPECIAL.test(text) ? text.replace(TEXT_ALL, entity) : text;
}

/** Escapes `& " < >` for a double-quoted attribute value. */
export function escapeAttribute(value: string): string {
  return ATTRIBUTE_SPECIAL.test(value) ? value.replace(ATTRIBUTE_ALL, entity) : value;
}

/** "a function", "an array", "the string 'x'", ... for messages that say what was received. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'bigint':
      return String(value);
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default: {
      const name = (value as object).constructor?.name;
      return name && name !== 'Object' ? `a ${name}` : 'an object';
    }
  }
}
