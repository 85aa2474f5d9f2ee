/**
 * Real Chromium for end-to-end tests, through playwright-core and Debian's
 * /usr/bin/chromium. `useBrowser()` registers the hooks of one test file: one browser for
 * the file, and per test fresh contexts (a context is one user, with its own cookies) that
 * are closed after the test. Every page's uncaught errors (`pageerror`) are collected and
 * fail the test unless the test expected them. It also offers waits on page content and
 * on server-side state, so that no test needs a fixed sleep.
 */
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { CHROMIUM_ARGS } from '../../src/testing/browser.js';

/** How long a wait on the page or on the server may take before the test fails, in ms. */
export const WAIT_MS = 8_000;

export interface BrowserHarness {
  readonly browser: Browser;
  /** A new user: a fresh context with its own cookies, closed after the test. */
  newUser(options?: BrowserContextOptions): Promise<BrowserContext>;
  /**
   * Opens `path` (relative to `baseUrl()`) in a new tab of `user` (a new user when
   * omitted) and waits until the view's first content has been rendered into `#lona`.
   */
  open(path: string, user?: BrowserContext): Promise<Page>;
  /** Page errors matching `pattern` do not fail the current test. */
  allowPageErrors(pattern: RegExp): void;
}

/** Registers the browser hooks of one test file; `baseUrl` is read when a page opens. */
export function useBrowser(baseUrl: () => string): BrowserHarness {
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  let errors: string[] = [];
  let allowed: RegExp[] = [];

  beforeAll(async () => {
    assertClientBuilt();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    const closing = contexts;
    contexts = [];
    await Promise.all(closing.map((context) => context.close().catch(() => undefined)));
    const unexpected = errors.filter((error) => !allowed.some((pattern) => pattern.test(error)));
    errors = [];
    allowed = [];
    if (unexpected.length > 0) {
      throw new Error(`Unexpected page errors:\n${unexpected.join('\n')}`);
    }
  });

  const harness: BrowserHarness = {
    get browser() {
      if (!browser) throw new Error('useBrowser(): the browser is not launched yet');
      return browser;
    },
    async newUser(options = {}) {
      const context = await harness.browser.newContext(options);
      context.setDefaultTimeout(WAIT_MS);
      context.on('page', (page) => watch(page));
      contexts.push(context);
      return context;
    },
    async open(path, user) {
      const context = user ?? (await harness.newUser());
      const page = await context.newPage();
      await page.goto(new URL(path, baseUrl()).href);
      await waitForView(page);
      return page;
    },
    allowPageErrors(pattern) {
      allowed.push(pattern);
    },
  };

  function watch(page: Page): void {
    page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.stack ?? error.message}`));
  }

  return harness;
}

/**
 * The server serves the bundle in dist/client, not the sources: a bundle older than a
 * source of the client would test yesterday's client.
 */
function assertClientBuilt(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  let built: number;
  try {
    built = statSync(`${root}dist/client/lona.js`).mtimeMs;
  } catch {
    throw new Error('dist/client/lona.js is missing: run `npm run build:client` first.');
  }
  for (const dir of ['src/client', 'src/protocol']) {
    for (const file of readdirSync(`${root}${dir}`, { recursive: true }) as string[]) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      if (statSync(`${root}${dir}/${file}`).mtimeMs > built) {
        throw new Error(
          `${dir}/${file} is newer than dist/client/lona.js: run \`npm run build:client\`.`,
        );
      }
    }
  }
}

/** Waits until the client has rendered a view into `#lona`. */
export async function waitForView(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const root = (globalThis as any).document.getElementById('lona');
    return root !== null && root.childNodes.length > 0;
  });
}

/**
 * Waits until the text of the first element matching `selector` equals `expected` (a
 * string, trimmed on both sides) or matches it (a RegExp). On timeout the error says what
 * the text was.
 */
export async function waitForText(
  page: Page,
  selector: string,
  expected: string | RegExp,
): Promise<void> {
  const want =
    typeof expected === 'string'
      ? { kind: 'string', value: expected }
      : { kind: 'regexp', value: expected.source, flags: expected.flags };
  try {
    await page.waitForFunction(
      ([sel, wanted]) => {
        const element = (globalThis as any).document.querySelector(sel);
        if (!element) return false;
        const text = String(element.textContent).trim();
        return wanted.kind === 'string'
          ? text === wanted.value
          : new RegExp(wanted.value, wanted.flags).test(text);
      },
      [selector, want] as const,
      { timeout: WAIT_MS },
    );
  } catch (error) {
    const actual = await page
      .locator(selector)
      .first()
      .textContent({ timeout: 100 })
      .catch(() => '(no such element)');
    throw new Error(
      `${selector}: expected text ${String(expected)}, got ${JSON.stringify(actual)}\n${String(error)}`,
    );
  }
}

/** Polls `condition` (server-side state) until it returns true; fails with `what` after WAIT_MS. */
export async function waitUntil(
  condition: () => boolean,
  what: string | (() => string),
  timeoutMs = WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
