/// <reference lib="dom" />
/**
 * The same app in a real browser: Chromium driven by playwright-core, for what the test
 * client cannot show (layout, focus as a browser moves it, widgets' own scripts, the
 * browser client bundle itself). playwright-core is loaded only when these helpers are
 * called, so `lona-ts/testing` works without it; it is the caller's to install, with a
 * Chromium (Debian's /usr/bin/chromium by default).
 */
import type { App } from '../app.js';
import type * as Playwright from 'playwright-core';
import type { Browser, BrowserContext, LaunchOptions, Page } from 'playwright-core';
import { leaseApp } from './app-lease.js';

/** Chromium flags for tests: no sandbox (containers), and nothing that phones home. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchChromiumOptions extends LaunchOptions {
  /** The Chromium binary. @default '/usr/bin/chromium' */
  executablePath?: string;
}

/** Launches Chromium with CHROMIUM_ARGS (plus `options.args`). */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
  const { chromium } = await loadPlaywright();
  return chromium.launch({
    ...options,
    executablePath: options.executablePath ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}

export interface OpenInBrowserOptions {
  /** A browser to open the page in (it is left open); without one, Chromium is launched and closed with the page. */
  browser?: Browser;
  /** Options for launching Chromium when no browser is given. */
  launch?: LaunchChromiumOptions;
  /** Longest wait for the view's first content, in ms. @default 10000 */
  timeoutMs?: number;
}

export interface BrowserPage {
  browser: Browser;
  /** A fresh context: one user, with its own cookies. */
  context: BrowserContext;
  page: Page;
  /** The page's URL. */
  url: string;
  /** Closes the context, the browser when it was launched here, and the app when it was started here. */
  close(): Promise<void>;
}

/**
 * Opens `path` of `app` in Chromium (starting the app on a free port when it is not
 * running) and resolves once the browser client rendered the view's first content into
 * `#lona`. The app needs the browser client bundle (`npm run build:client`).
 */
export async function openInBrowser(
  app: App,
  path = '/',
  options: OpenInBrowserOptions = {},
): Promise<BrowserPage> {
  const lease = await leaseApp(app, 'localhost');
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const launched = !options.browser;
  const close = async () => {
    await context?.close().catch(() => undefined);
    if (launched) await browser?.close().catch(() => undefined);
    await lease.release();
  };
  try {
    browser = options.browser ?? (await launchChromium(options.launch));
    context = await browser.newContext();
    const page = await context.newPage();
    const url = new URL(path, lease.url).href;
    await page.goto(url);
    await page.waitForFunction(
      () => {
        const root = (globalThis as unknown as Window).document.getElementById('lona');
        return root !== null && root.childNodes.length > 0;
      },
      undefined,
      { timeout: options.timeoutMs ?? 10_000 },
    );
    return { browser, context, page, url, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function loadPlaywright(): Promise<typeof Playwright> {
  try {
    return await import('playwright-core');
  } catch (error) {
    throw new Error(
      'lona-ts/testing: the browser helpers need playwright-core (npm install --save-dev ' +
        `playwright-core) and a Chromium. Loading it failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
