/**
 * Input events in real Chromium (SPEC §2.4, §2.5, §3.4, §4.4, §8): clicks, change events
 * of every form node with the typed value the server sees, focus and blur, which node a
 * click belongs to, the busy mark while a handler runs, the focus rule for server values,
 * and text with markup staying text.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Button,
  CheckBox,
  Div,
  NumberInput,
  Option,
  P,
  RadioButton,
  RadioGroup,
  Select,
  Span,
  TextInput,
  View,
  type InputEvent,
  type InputNode,
} from '../../src/index.js';
import { useBrowser, waitForText, waitUntil } from '../helpers/browser.js';
import { startApp, type StartedApp } from '../helpers/start-app.js';

/** The typed value as the page shows it: `typeof:JSON`. */
const describeValue = (value: unknown) => `${typeof value}:${JSON.stringify(value)}`;

class Counter extends View {
  count = new Span({ id: 'count' }, '0');
  override handleRequest() {
    return new Div(
      new P('Clicks: ', this.count),
      new Button(
        { id: 'plus', handleClick: () => this.count.setText(Number(this.count.getText()) + 1) },
        '+',
      ),
    );
  }
}

/**
 * Each form node shows the typed value the server holds after its change event, and the
 * event's data.
 */
class Forms extends View {
  override handleRequest() {
    const field = (id: string, input: InputNode) => {
      const value = new Span({ id: `${id}-value` }, describeValue(input.value));
      const data = new Span({ id: `${id}-data` }, '');
      input.handleChange = (event) => {
        value.setText(describeValue(input.value));
        data.setText(describeValue(event.data));
      };
      input.idList.add(id);
      return new P(input, ' ', value, ' ', data);
    };
    return new Div(
      field('text', new TextInput({ value: '' })),
      field('number', new NumberInput({ value: 1 })),
      field('check', new CheckBox({ value: false })),
      field(
        'single',
        new Select(
          new Option({ value: 1 }, 'One'),
          new Option({ value: 2 }, 'Two'),
          new Option({ value: 3 }, 'Three'),
        ),
      ),
      field(
        'multi',
        new Select(
          { multiple: true },
          new Option({ value: 'red' }, 'Red'),
          new Option({ value: 'green' }, 'Green'),
          new Option({ value: 'blue' }, 'Blue'),
        ),
      ),
      field(
        'radio',
        new RadioGroup(
          new RadioButton({ id: 'r-small', name: 'size', value: 1 }),
          ' small ',
          new RadioButton({ id: 'r-large', name: 'size', value: 2 }),
          ' large',
        ),
      ),
    );
  }
}

class FocusBlur extends View {
  override handleRequest() {
    const log = new Span({ id: 'log' }, '');
    const record = (what: string) => log.setText(`${log.getText()} ${what}`.trim());
    return new Div(
      new TextInput({
        id: 'watched',
        handleFocus: () => record('focus'),
        handleBlur: () => record('blur'),
      }),
      new TextInput({ id: 'other' }),
      log,
    );
  }
}

/** Records which node handled each click and which node was under the pointer. */
class Nesting extends View {
  override handleRequest() {
    const log = new Span({ id: 'clicks' }, '');
    const record = (event: InputEvent) =>
      log.setText(
        `${log.getText()} ${[...event.node.idList].join()}<-${[...event.targetNode.idList].join()}`.trim(),
      );
    return new Div(
      new Div(
        { id: 'outer', handleClick: record, style: { padding: '20px' } },
        new Button({ id: 'inner', handleClick: record }, 'inner'),
        new Span({ id: 'child' }, new Span({ id: 'grandchild' }, 'not clickable')),
      ),
      log,
    );
  }
}

/** A click handler that waits until the test lets it go on. */
let releaseSlowClick: (() => void) | undefined;
class Slow extends View {
  override handleRequest() {
    const state = new Span({ id: 'state' }, 'idle');
    return new Div(
      new Button(
        {
          id: 'slow',
          handleClick: async () => {
            await new Promise<void>((resolve) => (releaseSlowClick = resolve));
            state.setText('finished');
          },
        },
        'slow',
      ),
      state,
    );
  }
}

const MARKUP = '<img src=x onerror=window.pwned=1>';
class Markup extends View {
  override handleRequest() {
    const text = new Span({ id: 'text' }, MARKUP);
    const later = new Span({ id: 'later' }, '');
    return new Div(
      text,
      later,
      new Button({
        id: 'set',
        handleClick: () => later.setText(`${MARKUP}<script>pwned=2</script>`),
      }),
    );
  }
}

/** The test sets the input's value from the server while the user has focus. */
let serverValue: { input: TextInput; set(value: string): void } | undefined;
class ServerValue extends View {
  override handleRequest() {
    const input = new TextInput({ id: 'name', value: '', debounceMs: 0 });
    const marker = new Span({ id: 'marker' }, 'waiting');
    serverValue = {
      input,
      set: (value) => {
        input.value = value;
        marker.setText(`sent ${value}`);
        void this.show();
      },
    };
    return new Div(input, new Button({ id: 'elsewhere' }, 'elsewhere'), marker);
  }
}

let server: StartedApp;
beforeAll(async () => {
  server = await startApp(
    (app) => {
      app.route('/counter', Counter);
      app.route('/forms', Forms);
      app.route('/focus', FocusBlur);
      app.route('/nesting', Nesting);
      app.route('/slow', Slow);
      app.route('/markup', Markup);
      app.route('/server-value', ServerValue);
    },
    // Seconds: the waiting state shows soon after a slow click.
    { settings: { CLIENT_INPUT_EVENT_TIMEOUT: 0.2 } },
  );
});
afterAll(() => server.stop());

const browser = useBrowser(() => server.url);

describe('clicks', () => {
  it('runs the click handler on the server and patches the count', async () => {
    const page = await browser.open('/counter');
    await waitForText(page, '#count', '0');
    for (let i = 0; i < 3; i++) await page.click('#plus');
    await waitForText(page, '#count', '3');
  });

  it('gives a click on an inner clickable node to the inner node only', async () => {
    const page = await browser.open('/nesting');
    await page.click('#inner');
    await waitForText(page, '#clicks', 'inner<-inner');
    await page.click('#grandchild');
    await waitForText(page, '#clicks', 'inner<-inner outer<-grandchild');
  });

  it('marks the clicked node lona-busy while its handler runs', async () => {
    const page = await browser.open('/slow');
    releaseSlowClick = undefined;
    await page.click('#slow');
    await waitUntil(() => releaseSlowClick !== undefined, 'the click handler to run');
    await page.waitForSelector('#slow[lona-busy]');
    expect(await page.textContent('#state')).toBe('idle');
    releaseSlowClick!();
    await waitForText(page, '#state', 'finished');
    await page.waitForSelector('#slow:not([lona-busy])');
  });

  it('shows the waiting state when done takes longer than CLIENT_INPUT_EVENT_TIMEOUT', async () => {
    const page = await browser.open('/slow');
    releaseSlowClick = undefined;
    await page.click('#slow');
    await waitUntil(() => releaseSlowClick !== undefined, 'the click handler to run');
    await page.waitForSelector('html[lona-waiting~="input-event"]', { state: 'attached' });
    releaseSlowClick!();
    await waitForText(page, '#state', 'finished');
    await page.waitForSelector('html:not([lona-waiting])', { state: 'attached' });
  });
});

/** Waits until the server's value of field `id` and the data of its last change event are `typed`. */
async function expectChange(page: Page, id: string, typed: string): Promise<void> {
  await waitForText(page, `#${id}-value`, typed);
  await waitForText(page, `#${id}-data`, typed);
}

describe('change events', () => {
  it('sends a text input value after its debounce and keeps it a string', async () => {
    const page = await browser.open('/forms');
    await page.fill('#text', 'hello 42');
    await expectChange(page, 'text', 'string:"hello 42"');
  });

  it('turns a number input into a number on the server', async () => {
    const page = await browser.open('/forms');
    await page.fill('#number', '42.5');
    await expectChange(page, 'number', 'number:42.5');
    await page.fill('#number', '');
    await expectChange(page, 'number', 'object:null');
  });

  it('turns a checkbox into a boolean on the server', async () => {
    const page = await browser.open('/forms');
    await page.check('#check');
    await expectChange(page, 'check', 'boolean:true');
    await page.uncheck('#check');
    await expectChange(page, 'check', 'boolean:false');
  });

  it('gives a single select the typed value of the chosen option', async () => {
    const page = await browser.open('/forms');
    await waitForText(page, '#single-value', 'number:1');
    await page.selectOption('#single', { label: 'Three' });
    await expectChange(page, 'single', 'number:3');
  });

  it('gives a multiple select the values of every chosen option', async () => {
    const page = await browser.open('/forms');
    await page.selectOption('#multi', [{ label: 'Red' }, { label: 'Blue' }]);
    await expectChange(page, 'multi', 'object:["red","blue"]');
    await page.selectOption('#multi', [{ label: 'Green' }]);
    await expectChange(page, 'multi', 'object:["green"]');
  });

  it('gives a radio group the typed value of the checked radio button', async () => {
    const page = await browser.open('/forms');
    await waitForText(page, '#radio-value', 'object:null');
    await page.check('#r-large');
    await expectChange(page, 'radio', 'number:2');
    await page.check('#r-small');
    await expectChange(page, 'radio', 'number:1');
  });
});

describe('focus and blur', () => {
  it('sends focus when the input gets focus and blur when it loses it', async () => {
    const page = await browser.open('/focus');
    await page.focus('#watched');
    await waitForText(page, '#log', 'focus');
    await page.focus('#other');
    await waitForText(page, '#log', 'focus blur');
  });
});

describe('server values and focus', () => {
  it('does not overwrite an input that has focus, and applies the server value on blur', async () => {
    serverValue = undefined;
    const page = await browser.open('/server-value');
    await page.click('#name');
    await page.keyboard.type('typed');
    await waitUntil(() => serverValue?.input.value === 'typed', 'the server to see "typed"');
    serverValue!.set('from server');
    await waitForText(page, '#marker', 'sent from server');
    expect(await page.inputValue('#name')).toBe('typed');
    await page.click('#elsewhere');
    await page.waitForFunction(
      () => (globalThis as any).document.getElementById('name').value === 'from server',
    );
  });

  it('applies a server value at once to an input without focus', async () => {
    serverValue = undefined;
    const page = await browser.open('/server-value');
    serverValue!.set('direct');
    await waitForText(page, '#marker', 'sent direct');
    expect(await page.inputValue('#name')).toBe('direct');
  });
});

describe('markup in text', () => {
  it('renders text with markup as text, in the tree and in patches', async () => {
    const page = await browser.open('/markup');
    await waitForText(page, '#text', MARKUP);
    await page.click('#set');
    await waitForText(page, '#later', `${MARKUP}<script>pwned=2</script>`);
    expect(await page.locator('#lona img, #lona script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as any).pwned)).toBeUndefined();
  });
});
