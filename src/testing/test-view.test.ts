import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  A,
  App,
  Button,
  CheckBox,
  Div,
  Form,
  H1,
  HttpRedirectResponse,
  NumberInput,
  Option,
  P,
  Pre,
  RadioButton,
  RadioGroup,
  RedirectResponse,
  Select,
  Span,
  Submit,
  TextInput,
  View,
} from '../index.js';
import { Logger } from '../internal/logger.js';
import { createTestClient, type TestClient } from './test-client.js';
import { TestClientError } from './test-client-error.js';

class Counter extends View {
  count = new Span({ id: 'count' }, '0');
  override handleRequest() {
    return new Div(
      new H1('Counter'),
      new P('Clicks: ', this.count),
      new Button({ id: 'inc', handleClick: () => this.increment() }, '+'),
    );
  }
  increment() {
    this.count.setText(Number(this.count.getText()) + 1);
  }
}

/** Every control kind; the server shows back the typed values it holds after each change. */
class Profile extends View {
  name = new TextInput({ id: 'name', value: '' });
  age = new NumberInput({ id: 'age' });
  color = new Select(
    { id: 'color' },
    new Option({ value: 1, label: 'Red' }),
    new Option({ value: 2, label: 'Blue' }),
  );
  tags = new Select(
    { id: 'tags', multiple: true },
    new Option({ value: 'a' }, 'Alpha'),
    new Option({ value: 'b' }, 'Beta'),
    new Option({ value: 'c' }, 'Gamma'),
  );
  agree = new CheckBox({ id: 'agree' });
  size = new RadioGroup(
    { id: 'size' },
    new RadioButton({ id: 's', name: 'size', value: 's' }),
    new RadioButton({ id: 'm', name: 'size', value: 'm' }),
  );
  out = new Pre({ id: 'out' }, '');
  override handleRequest() {
    return new Div(this.name, this.age, this.color, this.tags, this.agree, this.size, this.out);
  }
  override handleInputEvent() {
    this.out.setText(
      JSON.stringify({
        name: this.name.value,
        age: this.age.value,
        color: this.color.value,
        tags: this.tags.value,
        agree: this.agree.value,
        size: this.size.value,
      }),
    );
  }
}

class Search extends View {
  result = new P({ id: 'result' }, '');
  override handleRequest() {
    return new Div(
      new Form(
        {
          id: 'search',
          handleSubmit: (event: { data: unknown }) =>
            this.result.setText(JSON.stringify(event.data)),
        },
        new TextInput({ name: 'q', id: 'q' }),
        new Select(
          { name: 'tags', multiple: true, id: 'form-tags' },
          new Option({ value: 'x' }, 'X'),
          new Option({ value: 'y' }, 'Y'),
          new Option({ value: 'z' }, 'Z'),
        ),
        new Submit({ value: 'Search' }),
      ),
      new Form(
        { id: 'find', action: '/found', method: 'get' },
        new TextInput({ name: 'q', id: 'find-q' }),
        new TextInput({ name: 'must', required: true, id: 'must' }),
        new Submit({ id: 'find-go' }),
      ),
      new Form(
        { id: 'post', action: '/found', method: 'post' },
        new TextInput({ name: 'q', id: 'post-q' }),
        new Submit(),
      ),
      this.result,
    );
  }
}

class Found extends View {
  override handleRequest() {
    const { method, query, post } = this.request;
    return new Div(new H1('Found'), new P({ id: 'got' }, JSON.stringify({ method, query, post })));
  }
}

class Links extends View {
  override handleRequest() {
    return new Div(
      new A({ id: 'to-counter', href: '/counter' }, 'counter'),
      new A({ id: 'away', href: 'https://example.com/' }, 'elsewhere'),
      new Button({ id: 'go', handleClick: () => new RedirectResponse('/counter') }, 'go'),
      new Button({ id: 'leave', handleClick: () => new HttpRedirectResponse('/api') }, 'leave'),
      new Span({ id: 'plain' }, 'not clickable'),
      new Button({ id: 'off', disabled: true }, 'off'),
    );
  }
}

let hold: Promise<void> = Promise.resolve();

class Trouble extends View {
  override handleRequest() {
    return new Div(
      new H1('Trouble'),
      new Button(
        {
          id: 'boom',
          handleClick: () => {
            throw new Error('boom');
          },
        },
        'boom',
      ),
      new Button({ id: 'slow', handleClick: () => hold }, 'slow'),
    );
  }
}

class Clock extends View {
  override async handleRequest() {
    const ticks = new Span({ id: 'ticks' }, '0');
    const page = new Div(new H1('Clock'), ticks);
    for (let tick = 1; ; tick++) {
      await this.show(page, { title: `Tick ${tick}` });
      await this.sleep(10);
      ticks.setText(String(tick));
    }
  }
}

class Silent extends View {
  override async handleRequest() {
    await this.sleep(60_000);
  }
}

class Chatty extends View {
  override handleRequest() {
    this.sendMessage({ hello: 'tab' });
    return new P('chatty');
  }
}

function buildApp(): App {
  const app = new App({ logger: new Logger({ level: 'silent' }) });
  app.route('/counter', Counter);
  app.route('/profile', Profile);
  app.route('/search', Search);
  app.route('/found', Found);
  app.route('/links', Links);
  app.route('/trouble', Trouble);
  app.route('/clock', Clock);
  app.route('/silent', Silent);
  app.route('/chatty', Chatty);
  app.route(
    '/old',
    class extends View {
      override handleRequest() {
        return new RedirectResponse('/counter');
      }
    },
  );
  app.route('/api', class extends View {}, { interactive: false });
  return app;
}

let client: TestClient;

beforeAll(() => {
  client = createTestClient(buildApp());
});

afterAll(() => client.close());

describe('clicks', () => {
  it('clicks a button and resolves once the patch it caused is shown', async () => {
    const view = await client.open('/counter');
    expect(view.text('p')).toBe('Clicks: 0');
    await view.click('button');
    expect(view.text('p')).toBe('Clicks: 1');
    await view.click('#inc');
    expect(view.text('#count')).toBe('2');
    expect(view.html('#count')).toBe('<span id="count">2</span>');
    expect(view.errors).toEqual([]);
  });

  it('rejects a click that sends nothing, saying why', async () => {
    const view = await client.open('/links');
    await expect(view.click('#plain')).rejects.toThrow(
      /LONA_TEST_NOTHING_SENT: click\('#plain'\).*neither it nor an ancestor declares a click/,
    );
    await expect(view.click('#off')).rejects.toThrow(/declares the click but is disabled/);
    await expect(view.click('#away')).rejects.toThrow(/the link was left to the browser/);
  });

  it('rejects with the selector and the HTML when nothing matches', async () => {
    const view = await client.open('/counter');
    const error = await view.click('#missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TestClientError);
    expect((error as TestClientError).code).toBe('LONA_TEST_NO_MATCH');
    expect((error as Error).message).toMatch(/#missing[\s\S]*<h1>Counter<\/h1>/);
    expect(() => view.text('.nope')).toThrow(/text\('\.nope'\)/);
    expect(view.exists('.nope')).toBe(false);
    expect(view.queryAll('button')).toHaveLength(1);
  });
});

describe('form controls', () => {
  it('sends typed values the server shows back: text, number, select, multiple, checkbox, radio', async () => {
    const view = await client.open('/profile');
    const shown = () => JSON.parse(view.text('#out')) as Record<string, unknown>;
    await view.fill('#name', 'Ada');
    expect(shown()).toMatchObject({ name: 'Ada' });
    await view.fill('#age', '42');
    expect(shown()).toMatchObject({ age: 42 });
    await view.select('#color', 'Blue');
    expect(shown()).toMatchObject({ color: 2 });
    await view.select('#color', 1);
    expect(shown()).toMatchObject({ color: 1 });
    await view.select('#tags', ['a', 'Gamma']);
    expect(shown()).toMatchObject({ tags: ['a', 'c'] });
    await view.check('#agree');
    expect(shown()).toMatchObject({ agree: true });
    await view.check('#agree', false);
    expect(shown()).toMatchObject({ agree: false });
    await view.check('#m');
    expect(shown()).toMatchObject({ size: 'm' });
    await view.check('#s');
    expect(shown()).toMatchObject({ size: 's' });
    expect(view.query<HTMLInputElement>('#m').checked).toBe(false);
  });

  it('refuses what a user cannot do, naming the element', async () => {
    const view = await client.open('/profile');
    await expect(view.fill('#agree', 'x')).rejects.toThrow(/LONA_TEST_BAD_TARGET.*use check\(\)/);
    await expect(view.fill('#color', 'x')).rejects.toThrow(/use select\(\)/);
    await expect(view.select('#color', 'Green')).rejects.toThrow(
      /no option with the value or label "Green"; it has "1" \(Red\), "2" \(Blue\)/,
    );
    await expect(view.select('#color', ['1', '2'])).rejects.toThrow(/single select/);
    await expect(view.check('#s', false)).rejects.toThrow(/unchecks it by checking another/);
    await expect(view.check('#name')).rejects.toThrow(/not a checkbox/);
  });

  it('resolves at once when the control is already in that state', async () => {
    const view = await client.open('/profile');
    await view.check('#agree', false);
    await view.select('#color', 'Red');
    expect(view.text('#out')).toBe('');
  });

  it('moves focus with focus() and blur()', async () => {
    const view = await client.open('/profile');
    await view.focus('#name');
    expect(view.document.activeElement?.id).toBe('name');
    await view.blur();
    expect(view.document.activeElement?.id).not.toBe('name');
    await expect(view.blur('#name')).rejects.toThrow(/does not have focus/);
  });
});

describe('forms', () => {
  it('submits a form with a submit handler with its fields, every selected option included', async () => {
    const view = await client.open('/search');
    await view.fill('#q', 'lona');
    await view.select('#form-tags', ['x', 'z']);
    await view.submit('#search');
    expect(JSON.parse(view.text('#result'))).toEqual({ q: 'lona', tags: ['x', 'z'] });
  });

  it('follows a navigating GET form to the next view', async () => {
    const view = await client.open('/search');
    await view.fill('#find-q', 'a b');
    await view.fill('#must', 'yes');
    await view.submit('#find-go');
    expect(view.url).toMatch(/\/found\?q=a\+b&must=yes$/);
    expect(JSON.parse(view.text('#got'))).toMatchObject({
      method: 'GET',
      query: { q: 'a b', must: 'yes' },
    });
  });

  it('follows a navigating POST form with the fields as request.post', async () => {
    const view = await client.open('/search');
    await view.fill('#post-q', 'posted');
    await view.submit('#post');
    expect(JSON.parse(view.text('#got'))).toMatchObject({ method: 'POST', post: { q: 'posted' } });
  });

  it('says which fields stop a form from being submitted', async () => {
    const view = await client.open('/search');
    await expect(view.submit('#find')).rejects.toThrow(
      /the form was not submitted: these fields fail validation: <input[^>]*id="must"/,
    );
  });
});

describe('navigation', () => {
  it('follows a link inside the app', async () => {
    const view = await client.open('/links');
    await view.click('#to-counter');
    expect(view.url).toMatch(/\/counter$/);
    expect(view.text('h1')).toBe('Counter');
    await view.click('#inc');
    expect(view.text('#count')).toBe('1');
  });

  it('follows a RedirectResponse from a click and from handleRequest', async () => {
    const view = await client.open('/links');
    await view.click('#go');
    expect(view.url).toMatch(/\/counter$/);
    expect(view.text('h1')).toBe('Counter');
    const redirected = await client.open('/old');
    expect(redirected.url).toMatch(/\/counter$/);
    expect(redirected.text('#count')).toBe('0');
  });

  it('reports an HTTP redirect, and navigate() starts a view in the same tab', async () => {
    const view = await client.open('/links');
    await view.click('#leave');
    expect(view.httpRedirectedTo).toMatch(/\/api$/);
    await expect(view.click('#go')).rejects.toThrow(/an HTTP redirect sent it to .*\/api/);
    await view.navigate('/counter');
    expect(view.httpRedirectedTo).toBeNull();
    expect(view.text('h1')).toBe('Counter');
    const api = await client.open('/api');
    expect(api.httpRedirectedTo).toMatch(/\/api$/);
  });
});

describe('long-running views', () => {
  it('waits for a selector, a text or a predicate while the view keeps showing', async () => {
    const view = await client.open('/clock');
    await view.waitFor(() => Number(view.text('#ticks')) >= 3);
    await view.waitFor({ text: 'Clock' });
    await view.waitFor({ selector: '#ticks', text: /^\d+$/ });
    const ticks = await view.waitFor('#ticks');
    expect(ticks.id).toBe('ticks');
    expect(await view.waitFor(() => view.title.startsWith('Tick') && view.title)).toMatch(/^Tick/);
  });

  it('times out with what it waited for and the HTML of the view', async () => {
    const view = await client.open('/counter');
    await expect(view.waitFor('#never', { timeoutMs: 30 })).rejects.toThrow(
      /LONA_TEST_TIMEOUT: waitFor\('#never'\): timed out after 30 ms[\s\S]*<h1>Counter<\/h1>/,
    );
    await expect(view.waitFor(() => view.text('#nope'), { timeoutMs: 30 })).rejects.toThrow(
      /The last check threw: .*#nope/,
    );
  });

  it('times out opening a view that shows nothing', async () => {
    await expect(client.open('/silent', { timeoutMs: 50 })).rejects.toThrow(
      /LONA_TEST_TIMEOUT: open\('.*\/silent'\): timed out after 50 ms waiting for the view for .*\/silent to show its first tree/,
    );
  });
});

describe('refused events', () => {
  it('rejects with the done code when a handler throws, and the view shows its error view', async () => {
    const view = await client.open('/trouble');
    const error = (await view.click('#boom').catch((e: unknown) => e)) as TestClientError;
    expect(error.code).toBe('LONA_TEST_EVENT_REFUSED');
    expect(error.doneCode).toBe('error');
    expect(error.message).toMatch(/refused the click event with the code 'error'/);
    expect(view.text()).toMatch(/500/);
  });

  it('times out on a handler that does not finish, naming the event', async () => {
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const view = await client.open('/trouble');
    await expect(view.click('#slow', { timeoutMs: 50 })).rejects.toThrow(
      /click\('#slow'\): timed out after 50 ms waiting for 'done' of click \(event \d+\)/,
    );
    release();
  });
});

describe('custom messages', () => {
  it('collects messages from the view and sends messages to it', async () => {
    const view = await client.open('/chatty');
    await view.waitFor(() => view.messages.length > 0);
    expect(view.messages).toEqual([{ hello: 'tab' }]);
    expect(() => view.send({ hello: 'server' })).not.toThrow();
  });
});
