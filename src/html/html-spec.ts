/** Facts from the HTML standard that rendering, parsing and child checks share. */

/** Elements with no end tag and no children. */
export const VOID_TAGS: ReadonlySet<string> = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/** Elements whose text is not parsed as markup, so it is written unescaped. */
export const RAW_TEXT_TAGS: ReadonlySet<string> = new Set(['script', 'style']);
