/**
 * Rendering parity in Chromium (a subset of src/html/dom-parity.test.ts): the same seeded
 * random mutations run on the server's tree, the real client applies the patches in a
 * real browser, and after every batch the browser's DOM equals the server's toString().
 */
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Button, Div, HTML, View } from '../../src/index.js';
import { Mutator, canonicalOfHtml } from '../helpers/tree-mutator.js';
import { useBrowser } from '../helpers/browser.js';
import { startApp, type StartedApp } from '../helpers/start-app.js';

const roots = new Map<number, Div>();
const document = new Window().document;
let server: StartedApp;

class Parity extends View {
  handleRequest() {
    const seed = Number(this.request.query.seed);
    const root = new Div({ id: 'root' });
    roots.set(seed, root);
    const mutator = new Mutator(seed, root);
    let steps = 0;
    const step = new Button(
      {
        id: 'step',
        handleClick: () => {
          for (let i = 0; i < 5; i++) mutator.step();
          steps++;
          stepCount.setText(String(steps));
        },
      },
      'step',
    );
    const stepCount = new Div({ id: 'steps' }, '0');
    return new HTML(new Div(step, stepCount), root);
  }
}

beforeAll(async () => {
  server = await startApp((app) => app.route('/parity', Parity));
});
afterAll(() => server.stop());

const browser = useBrowser(() => server.url);

describe('patches applied by the client in Chromium', () => {
  for (const seed of [7, 21, 42]) {
    it(`keep the DOM equal to toString() through random mutations (seed ${seed})`, async () => {
      const page = await browser.open(`/parity?seed=${seed}`);
      for (let step = 1; step <= 25; step++) {
        await page.click('#step');
        await page.waitForFunction(
          (n) => document.querySelector('#steps')?.textContent === String(n),
          step,
        );
        const inBrowser = await page.innerHTML('#root');
        expect(canonicalOfHtml(inBrowser, document), `seed ${seed}, step ${step}`).toBe(
          canonicalOfHtml(roots.get(seed)!.nodes.toArray().map(String).join(''), document),
        );
      }
    });
  }
});
