/**
 * The one template engine (SPEC §3.10): nunjucks, Jinja-like, autoescape on. It renders the
 * frontend shell and the error pages, and `TemplateResponse`s of views.
 *
 * User TEMPLATE_DIRS are searched before the built-in `src/templates/`, so a user can
 * override `lona/frontend.html` or `{% extends %}` it. The nunjucks Environment is built
 * once; compiled templates are cached by nunjucks, so a render does no setup work.
 *
 * Deciding which template answers what, whether a stack trace is shown, and what goes into
 * the shell's client settings is left to the server; rendering the static-file tags to
 * static-declarations.ts.
 */
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { LonaError } from '../errors.js';
import { encodeUrlPath, normalizeUrlPrefix } from './static-declarations.js';

/** The built-in templates (`lona/*.html`), searched after the user's dirs. */
export const BUILTIN_TEMPLATE_DIR = fileURLToPath(new URL('../templates/', import.meta.url));

export interface TemplateEngineOptions {
  /** User template dirs (TEMPLATE_DIRS), searched in order before the built-in dir. */
  dirs?: readonly string[];
  /** Context every render gets (TEMPLATE_EXTRA_CONTEXT); the call's context wins. */
  extraContext?: Readonly<Record<string, unknown>>;
  /** Filters added to the built-in ones (TEMPLATE_EXTRA_FILTERS). */
  extraFilters?: Readonly<Record<string, (...args: any[]) => unknown>>;
  /** Globals such as `reverse`; they sit below extraContext and the call's context. */
  globals?: Readonly<Record<string, unknown>>;
  /** Where `staticUrl(path)` points (STATIC_URL_PREFIX). @default '/static/' */
  staticUrlPrefix?: string;
}

const JSON_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON that is safe inside a `<script>` element (SPEC §8): `<`, `>`, `&`, U+2028 and U+2029
 * are written as `\uXXXX`, so `</script>` or `<!--` in a value cannot end the element.
 * `undefined` (which JSON cannot hold) becomes `null`.
 */
export function inlineJson(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  return json.replace(/[<>&\u2028\u2029]/g, (ch) => JSON_ESCAPES[ch] as string);
}

/** Marks trusted HTML so autoescape leaves it alone. */
export function markSafe(html: string): nunjucks.runtime.SafeString {
  return new nunjucks.runtime.SafeString(html);
}

const NOT_FOUND_RE = /template not found: ([^\n]+)/;

export class TemplateEngine {
  /** The searched dirs, in order, for error messages. */
  readonly dirs: readonly string[];
  readonly #env: nunjucks.Environment;
  readonly #extraContext: Readonly<Record<string, unknown>>;

  constructor(options: TemplateEngineOptions = {}) {
    this.dirs = [...(options.dirs ?? []).map((d) => resolvePath(d)), BUILTIN_TEMPLATE_DIR];
    this.#extraContext = options.extraContext ?? {};
    // noCache false: each template is read and compiled once per process. Live reload
    // restarts the process, so there is nothing to watch.
    const loader = new nunjucks.FileSystemLoader([...this.dirs], { noCache: false, watch: false });
    this.#env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });

    const prefix = normalizeUrlPrefix(options.staticUrlPrefix ?? '/static/');
    const json = (value: unknown) => markSafe(inlineJson(value));
    this.#env.addFilter('json', json);
    this.#env.addGlobal('json', json);
    this.#env.addGlobal('staticUrl', (path: string) => prefix + encodeUrlPath(String(path)));
    for (const [name, value] of Object.entries(options.globals ?? {})) {
      this.#env.addGlobal(name, value);
    }
    for (const [name, filter] of Object.entries(options.extraFilters ?? {})) {
      this.#env.addFilter(name, filter);
    }
  }

  /**
   * Renders a template by name (`lona/frontend.html`).
   * @throws LonaError LONA_ERR_TEMPLATE_NOT_FOUND, LONA_ERR_TEMPLATE_RENDER
   */
  render(name: string, context: Readonly<Record<string, unknown>> = {}): string {
    try {
      return this.#env.render(name, { ...this.#extraContext, ...context });
    } catch (error) {
      throw this.#wrap(error, name);
    }
  }

  /**
   * Renders template source; it may `{% extends %}` or `{% include %}` named templates.
   * @throws LonaError LONA_ERR_TEMPLATE_NOT_FOUND, LONA_ERR_TEMPLATE_RENDER
   */
  renderString(source: string, context: Readonly<Record<string, unknown>> = {}): string {
    try {
      return this.#env.renderString(source, { ...this.#extraContext, ...context });
    } catch (error) {
      throw this.#wrap(error, '(template string)');
    }
  }

  #wrap(error: unknown, name: string): LonaError {
    const message = error instanceof Error ? error.message : String(error);
    const missing = NOT_FOUND_RE.exec(message);
    if (missing) {
      return new LonaError(
        'LONA_ERR_TEMPLATE_NOT_FOUND',
        { name: (missing[1] as string).trim(), dirs: this.dirs.join(', ') },
        { cause: error },
      );
    }
    return new LonaError(
      'LONA_ERR_TEMPLATE_RENDER',
      { name, reason: message.replace(/\s+/g, ' ').trim() },
      { cause: error },
    );
  }
}
