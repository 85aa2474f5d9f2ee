/**
 * The demo app (`npm start`) exercised in Chromium: every page works, and a screenshot of
 * each is saved under .tmp/screenshots for a person to look at (no pixel assertions).
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { App } from '../../src/index.js';
import { CLI_MODE } from '../../src/app.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser, waitForText } from '../helpers/browser.js';

const SHOTS = new URL('../../.tmp/screenshots/', import.meta.url);
let app: App;
let url: string;

beforeAll(async () => {
  // The demo calls app.run() when imported; in CLI mode that only records its options.
  (globalThis as Record<symbol, unknown>)[CLI_MODE] = true;
  ({ app } = (await import('../../examples/demo/app.js')) as { app: App });
  app.logger.level = 'warn';
  url = await app.start({ port: 0 });
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(() => app.stop());

const browser = useBrowser(() => url);
const shot = (page: Page, name: string) =>
  page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage: true });

describe('the demo app', () => {
  it('links every demo from the home page', async () => {
    const page = await browser.open('/');
    for (const name of [
      'Counter',
      'Clock',
      'Wizard',
      'Form',
      'Chat',
      'Shared notes',
      'Pools',
      'JSON endpoint',
    ]) {
      expect(await page.getByRole('link', { name }).count()).toBe(1);
    }
    await shot(page, 'home');
    await page.getByRole('link', { name: 'Counter' }).click();
    await waitForText(page, '#counter', '0');
  });

  it('counts clicks', async () => {
    const page = await browser.open('/counter');
    await page.click('#plus');
    await page.click('#plus');
    await page.click('#minus');
    await waitForText(page, '#counter', '1');
    await shot(page, 'counter');
  });

  it('shows a clock that updates itself', async () => {
    const page = await browser.open('/clock');
    const first = await page.textContent('#clock');
    await page.waitForFunction(
      (before) => document.querySelector('#clock')?.textContent !== before,
      first,
    );
    await shot(page, 'clock');
  });

  it('walks through the wizard', async () => {
    const page = await browser.open('/wizard');
    await page.fill('#name', 'Ada');
    await page.click('#next');
    await page.waitForSelector('text=Hello Ada. Go on?');
    await page.click('#yes');
    await waitForText(page, '#result', 'Going on');
    await shot(page, 'wizard');
  });

  it('shows typed values for every input kind', async () => {
    const page = await browser.open('/form');
    await page.fill('#number', '7');
    await page.locator('#number').blur();
    await waitForText(page, '#value-number', '7');
    await page.selectOption('#select', { label: 'three' });
    await waitForText(page, '#value-select', '3');
    await page.selectOption('#multi', [{ label: 'red' }, { label: 'blue' }]);
    await waitForText(page, '#value-multi', '["red","blue"]');
    await page.uncheck('#check');
    await waitForText(page, '#value-check', 'false');
    await page.check('text=small');
    await waitForText(page, '#value-radio', '"small"');
    await shot(page, 'form');
  });

  it('carries chat messages between two users', async () => {
    const alice = await browser.open('/chat');
    const bob = await browser.open('/chat');
    await alice.fill('#message', 'hi bob');
    await alice.click('#send');
    await bob.waitForSelector('.message >> text=hi bob');
    await shot(bob, 'chat');
  });

  it('shares the daemon view between two tabs of one user', async () => {
    const user = await browser.newUser();
    const first = await browser.open('/shared', user);
    const second = await browser.open('/shared', user);
    await first.fill('#notes', 'written in the first tab');
    await first.locator('#notes').blur();
    await second.waitForFunction(
      () =>
        (document.querySelector('#notes') as HTMLTextAreaElement | null)?.value ===
        'written in the first tab',
    );
    await shot(second, 'shared');
  });

  it('shows live pool metrics', async () => {
    const page = await browser.open('/pools');
    await page.waitForSelector('#pools td >> text=runtime');
    await shot(page, 'pools');
  });

  it('serves the JSON endpoint', async () => {
    const res = await fetch(`${url}/api/status.json`);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
  });
});
