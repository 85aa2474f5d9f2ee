/**
 * Declared static files (SPEC §3.10): the `StaticFile`, `StyleSheet` and `Script` classes
 * node and view classes list in `static STATIC_FILES`, their collection into one sorted,
 * checked list, and the `<link>`/`<script>` tags of the linked ones.
 *
 * Serving them is left to static-files.ts, copying them for a front proxy to
 * static-collect.ts, and finding the classes (routes, error views, `app.staticFiles()`) to
 * the app.
 */
import { statSync } from 'node:fs';
import { basename, isAbsolute, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LonaError } from '../errors.js';

/** Where a declared file goes in the tags: framework files first, the app's last. */
export const SORT_ORDER = { FRAMEWORK: 100, LIBRARY: 200, APPLICATION: 300 } as const;

export interface StaticFileOptions {
  /** Served at STATIC_URL_PREFIX + url. @default the file's base name */
  url?: string;
  /** Lower comes first in the tags. @default SORT_ORDER.APPLICATION */
  sortOrder?: number;
  /** false: served but not tagged (a source map, a font). @default true */
  link?: boolean;
  /** false: neither served nor tagged unless listed in STATIC_FILES_ENABLED. @default true */
  enabledByDefault?: boolean;
}

export type StaticFileKind = 'file' | 'stylesheet' | 'script';

/** A file served under the static prefix; never tagged. */
export class StaticFile {
  readonly kind: StaticFileKind = 'file';
  /** Unique among all declarations; STATIC_FILES_ENABLED/DISABLED list these. */
  readonly name: string;
  /** Absolute file-system path. */
  readonly path: string;
  /** Relative URL path under the static prefix, not percent-encoded, no leading slash. */
  readonly url: string;
  readonly sortOrder: number;
  readonly link: boolean;
  readonly enabledByDefault: boolean;

  /**
   * @param path an absolute path or a file: URL, usually `new URL('./x.css', import.meta.url)`.
   * @throws LonaError LONA_ERR_STATIC_BAD_DECLARATION
   */
  constructor(name: string, path: string | URL, options: StaticFileOptions = {}) {
    if (typeof name !== 'string' || name === '') {
      throw badDeclaration(String(name), 'the name must be a non-empty string');
    }
    this.name = name;
    this.path = toAbsolutePath(name, path);
    this.url = checkUrl(name, options.url ?? basename(this.path));
    this.sortOrder = options.sortOrder ?? SORT_ORDER.APPLICATION;
    this.link = options.link ?? true;
    this.enabledByDefault = options.enabledByDefault ?? true;
  }
}

/** A style sheet: tagged as `<link rel="stylesheet">`. */
export class StyleSheet extends StaticFile {
  override readonly kind: StaticFileKind = 'stylesheet';
}

/** A script: tagged as `<script defer>`. */
export class Script extends StaticFile {
  override readonly kind: StaticFileKind = 'script';
}

export type StaticFileDeclaration = StaticFile;

export interface CollectOptions {
  /** STATIC_FILES_ENABLED: names enabled although `enabledByDefault` is false. */
  enabled?: readonly string[];
  /** STATIC_FILES_DISABLED: names neither served nor tagged. */
  disabled?: readonly string[];
}

/**
 * Collects the declarations reachable from `sources`: classes with `static STATIC_FILES`
 * (whose entries are declarations or further classes, each class visited once) and loose
 * declarations. Returns the enabled ones, sorted by sortOrder, then in the order found.
 * @throws LonaError LONA_ERR_STATIC_DUPLICATE_NAME, LONA_ERR_STATIC_DUPLICATE_URL,
 *   LONA_ERR_STATIC_MISSING_FILE, LONA_ERR_STATIC_BAD_DECLARATION
 */
export function collectStaticFiles(
  sources: readonly unknown[],
  options: CollectOptions = {},
): StaticFile[] {
  const enabled = new Set(options.enabled ?? []);
  const disabled = new Set(options.disabled ?? []);
  const owners = new Map<StaticFile, string>();
  const byName = new Map<string, StaticFile>();
  const visited = new Set<unknown>();

  const add = (file: StaticFile, owner: string): void => {
    if (owners.has(file)) return; // the same object reached twice (an inherited list)
    const other = byName.get(file.name);
    if (other) {
      throw new LonaError('LONA_ERR_STATIC_DUPLICATE_NAME', {
        name: file.name,
        first: owners.get(other),
        second: owner,
      });
    }
    owners.set(file, owner);
    byName.set(file.name, file);
  };

  const visitClass = (cls: (...args: never[]) => unknown): void => {
    if (visited.has(cls)) return;
    visited.add(cls);
    const owner = cls.name || '(anonymous class)';
    const list: unknown = (cls as { STATIC_FILES?: unknown }).STATIC_FILES;
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) {
      throw badDeclaration(owner, `STATIC_FILES must be an array, got ${typeof list}`);
    }
    for (const entry of list as unknown[]) {
      if (entry instanceof StaticFile) add(entry, owner);
      else if (typeof entry === 'function') visitClass(entry as (...args: never[]) => unknown);
      else {
        throw badDeclaration(
          owner,
          `STATIC_FILES entries are StaticFile/StyleSheet/Script objects or classes, got ${describe(entry)}`,
        );
      }
    }
  };

  for (const source of sources) {
    if (source instanceof StaticFile) add(source, 'app.staticFiles()');
    else if (typeof source === 'function') visitClass(source as (...args: never[]) => unknown);
    // Anything else (a route's non-class view, undefined) declares nothing.
  }

  const isEnabled = (f: StaticFile) =>
    (f.enabledByDefault || enabled.has(f.name)) && !disabled.has(f.name);
  const result = [...owners.keys()].filter(isEnabled);

  const byUrl = new Map<string, StaticFile>();
  for (const file of result) {
    const other = byUrl.get(file.url);
    if (other) {
      throw new LonaError('LONA_ERR_STATIC_DUPLICATE_URL', {
        url: file.url,
        first: other.name,
        second: file.name,
      });
    }
    byUrl.set(file.url, file);
    if (!isFile(file.path)) {
      throw new LonaError('LONA_ERR_STATIC_MISSING_FILE', {
        name: file.name,
        owner: owners.get(file),
        path: file.path,
      });
    }
  }
  // Array.prototype.sort is stable: equal sort orders keep the order found.
  return result.sort((a, b) => a.sortOrder - b.sortOrder);
}

/** A declared file as the tag templates (`lona/style-tags.html`) see it. */
export interface LinkedFile {
  name: string;
  /** Full URL path: the prefix plus the percent-encoded url. */
  url: string;
}

/** The linked style sheets and scripts, in order, with their full URLs. */
export function linkedFiles(
  files: readonly StaticFile[],
  urlPrefix: string,
): { stylesheets: LinkedFile[]; scripts: LinkedFile[] } {
  const prefix = normalizeUrlPrefix(urlPrefix);
  const pick = (kind: StaticFileKind) =>
    files
      .filter((f) => f.link && f.kind === kind)
      .map((f) => ({ name: f.name, url: prefix + encodeUrlPath(f.url) }));
  return { stylesheets: pick('stylesheet'), scripts: pick('script') };
}

/**
 * The shell's tags, rendered without the template engine: `<link rel="stylesheet">` per
 * linked style sheet and `<script defer>` per linked script, one per line, escaped.
 * The built-in `lona/style-tags.html` and `lona/script-tags.html` render the same markup.
 */
export function renderTags(
  files: readonly StaticFile[],
  urlPrefix: string,
): { stylesheets: string; scripts: string } {
  const { stylesheets, scripts } = linkedFiles(files, urlPrefix);
  return {
    stylesheets: stylesheets
      .map((f) => `<link rel="stylesheet" href="${escapeAttribute(f.url)}">\n`)
      .join(''),
    scripts: scripts
      .map((f) => `<script defer src="${escapeAttribute(f.url)}"></script>\n`)
      .join(''),
  };
}

/** `/static/`: one leading and one trailing slash. */
export function normalizeUrlPrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

/** Percent-encodes each segment of a relative URL path, keeping the slashes. */
export function encodeUrlPath(path: string): string {
  return path.replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/');
}

function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function toAbsolutePath(name: string, path: string | URL): string {
  try {
    if (path instanceof URL || (typeof path === 'string' && path.startsWith('file:'))) {
      return normalize(fileURLToPath(path));
    }
  } catch (error) {
    throw badDeclaration(name, `bad file: URL (${(error as Error).message})`);
  }
  if (typeof path !== 'string' || !isAbsolute(path)) {
    throw badDeclaration(
      name,
      `the path must be absolute or a file: URL such as new URL('./file.css', import.meta.url); got ${describe(path)}`,
    );
  }
  return normalize(path);
}

/** The URL must stay a plain relative path: it is matched against requests as is. */
function checkUrl(name: string, url: string): string {
  const trimmed = typeof url === 'string' ? url.replace(/^\/+/, '') : '';
  const segments = trimmed.split('/');
  const bad = segments.find((s) => s === '' || s.startsWith('.') || /[\\\0]/.test(s));
  if (bad !== undefined) {
    throw badDeclaration(
      name,
      `the url '${String(url)}' must be a relative path without empty, '.'- or '..'-segments, dotfiles or backslashes`,
    );
  }
  return trimmed;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function badDeclaration(name: string, reason: string): LonaError {
  return new LonaError('LONA_ERR_STATIC_BAD_DECLARATION', { name, reason });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  return typeof value;
}
