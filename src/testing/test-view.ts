/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * `TestView`: one tab of a test user, what `client.open(path)` returns (SPEC §3.12). It
 * offers what a user does (click, fill, select, check, submit, focus, blur, follow links)
 * and what a test reads (text, html, query, title, url), plus the waits a server-driven
 * page needs: every verb resolves on the `done` of the events it caused, and on the next
 * view's first tree when it navigated; `waitFor` covers changes nobody clicked for.
 *
 * Verbs act on the tab's DOM (user-actions.ts), so the browser client's own listeners
 * decide what goes on the wire; the protocol is TabDriver's (tab-driver.ts).
 */
import type { TestClient } from './test-client.js';
import type { Effects, SentEvent, TabDriver } from './tab-driver.js';
import { DONE_CODE_MEANINGS, TestClientError, htmlForMessage } from './test-client-error.js';
import {
  blurElement,
  clickElement,
  describeElement,
  explainNothingSent,
  focusElement,
  pickOptions,
  setChecked,
  submitForm,
  typeInto,
  type ClickModifiers,
  type OptionChoice,
} from './user-actions.js';
import { withTimeout } from './wait.js';

export interface ActionOptions {
  /** Longest wait for the `done`s (and the next view), in ms. @default TestClientOptions.timeoutMs */
  timeoutMs?: number;
}

export interface ClickOptions extends ActionOptions, ClickModifiers {}

export interface WaitForOptions {
  /** Longest wait, in ms. @default TestClientOptions.timeoutMs */
  timeoutMs?: number;
}

/** `waitFor({ text })`: the text of `selector` (the whole view without one) contains `text` or matches it. */
export interface TextCondition {
  text: string | RegExp;
  selector?: string;
}

/** What a TestView is made from; only TestClient makes them. */
export interface TestViewInit {
  client: TestClient;
  driver: TabDriver;
  timeoutMs: number;
  onClose(): void;
}

export class TestView {
  /** The user this tab belongs to. */
  readonly client: TestClient;
  readonly #driver: TabDriver;
  readonly #timeoutMs: number;
  readonly #onClose: () => void;

  /** @internal Tabs are opened with `client.open(path)`. */
  constructor(init: TestViewInit) {
    this.client = init.client;
    this.#driver = init.driver;
    this.#timeoutMs = init.timeoutMs;
    this.#onClose = init.onClose;
  }

  // State ---------------------------------------------------------------------------------

  /** The tab's URL (it follows links, forms and redirects). */
  get url(): string {
    return this.#driver.url;
  }

  /** The document title the view set (`show(…, { title })`, `setTitle`). */
  get title(): string {
    return this.#driver.title;
  }

  /** The id of the view the tab shows (the same for two tabs of one daemon view), or null. */
  get viewId(): string | null {
    return this.#driver.viewId;
  }

  get connected(): boolean {
    return this.#driver.connected;
  }

  /** The close code of the tab's last connection once it closed, else null. */
  get closeCode(): number | null {
    return this.#driver.closeCode;
  }

  /**
   * Where an HTTP redirect (`HttpRedirectResponse`, a non-interactive route) sent the tab,
   * else null. A browser would load that page; the test client stays, showing nothing new.
   * `view.navigate(view.httpRedirectedTo)` starts it in this tab when it is in the app.
   */
  get httpRedirectedTo(): string | null {
    return this.#driver.httpRedirectedTo;
  }

  /** Custom messages the views of this tab sent (`view.sendMessage(data)`), oldest first. */
  get messages(): readonly unknown[] {
    return this.#driver.messages;
  }

  /**
   * What went wrong in the tab's browser-client code: refused markup or attributes,
   * failing widgets, patches that failed to apply. A browser only logs these.
   */
  get errors(): readonly Error[] {
    return this.#driver.errors;
  }

  /** The tab's happy-dom document. */
  get document(): Document {
    return this.#driver.tab.document;
  }

  /** The element the view is rendered into (`#lona`). */
  get root(): HTMLElement {
    return this.#driver.tab.root;
  }

  // Queries -------------------------------------------------------------------------------

  /** The first element of the view matching `selector`; throws when there is none. */
  query<E extends Element = HTMLElement>(selector: string): E {
    return this.#find(`query('${selector}')`, selector) as E;
  }

  /** Every element of the view matching `selector` (none: an empty array). */
  queryAll<E extends Element = HTMLElement>(selector: string): E[] {
    return Array.from(this.root.querySelectorAll(selector)) as unknown as E[];
  }

  exists(selector: string): boolean {
    return this.root.querySelector(selector) !== null;
  }

  /**
   * The text of the first element matching `selector` (the whole view without one), with
   * runs of white space turned into one space and trimmed, as a reader sees it. For the
   * exact text, read `query(selector).textContent`.
   */
  text(selector?: string): string {
    const element =
      selector === undefined ? this.root : this.#find(`text('${selector}')`, selector);
    return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The view's HTML (the root's content), or the outer HTML of the first match of `selector`. */
  html(selector?: string): string {
    return selector === undefined
      ? this.root.innerHTML
      : this.#find(`html('${selector}')`, selector).outerHTML;
  }

  // Verbs ---------------------------------------------------------------------------------

  /**
   * Clicks the first match of `selector` as a user does: the browser client sends the
   * click of the innermost node that declares one, follows a link inside the app, or the
   * browser's default action runs (a submit button submits, a checkbox toggles). Rejects
   * when that sends nothing and navigates nowhere, saying why.
   */
  click(selector: string, options: ClickOptions = {}): Promise<void> {
    const { timeoutMs, ...modifiers } = options;
    return this.#act(`click('${selector}')`, selector, { timeoutMs }, (element) => {
      const effects = this.#driver.capture(() => clickElement(element, modifiers));
      return { effects, explain: () => explainNothingSent('click', element, this.#driver.dom) };
    });
  }

  /**
   * Types `text` into a text field or textarea (replacing its value) and sends the change
   * at once, with the typed data the browser client sends, without waiting for its
   * debounce. Focus does not move: `focus()` and `blur()` do that. A field that declares
   * no change event only takes the value (for a later submit).
   */
  fill(selector: string, text: string, options: ActionOptions = {}): Promise<void> {
    const verb = `fill('${selector}', ${JSON.stringify(text)})`;
    return this.#act(verb, selector, options, (element) => ({
      effects: this.#driver.capture(() => typeInto(verb, element, String(text))),
    }));
  }

  /**
   * Picks the options of a select whose value attribute or label is `choice` (an array
   * for a multiple select; the other options are cleared) and sends the change. Resolves
   * at once when they were picked already.
   */
  select(
    selector: string,
    choice: OptionChoice | readonly OptionChoice[],
    options: ActionOptions = {},
  ): Promise<void> {
    const verb = `select('${selector}', ${JSON.stringify(choice)})`;
    return this.#act(verb, selector, options, (element) => ({
      effects: this.#driver.capture(() => pickOptions(verb, element, choice)),
    }));
  }

  /**
   * Ticks (or, with `false`, clears) a checkbox, or checks a radio button, by clicking it
   * as a user does. Resolves at once when it is in that state already.
   */
  check(selector: string, checked = true, options: ActionOptions = {}): Promise<void> {
    const verb = `check('${selector}'${checked ? '' : ', false'})`;
    return this.#act(verb, selector, options, (element) => ({
      effects: this.#driver.capture(() => setChecked(verb, element, checked)),
    }));
  }

  /**
   * Submits a form (`selector` matches the form, a submit button of it, or a field in
   * it), browser validation included. A form with a submit event sends it with the form's
   * fields; a navigating form starts the next view (GET with the fields as query, or POST),
   * and the verb resolves when that view shows its first tree.
   */
  submit(selector = 'form', options: ActionOptions = {}): Promise<void> {
    return this.#act(`submit('${selector}')`, selector, options, (element) => {
      const effects = this.#driver.capture(() => submitForm(`submit('${selector}')`, element));
      return { effects, explain: () => explainNothingSent('submit', element, this.#driver.dom) };
    });
  }

  /**
   * Moves focus to the element: the control that had it gets its blur (and its pending
   * change), the element its focus event when it declares one. While a control has focus
   * the server's values for it wait until blur (SPEC §2.5).
   */
  focus(selector: string, options: ActionOptions = {}): Promise<void> {
    const verb = `focus('${selector}')`;
    return this.#act(verb, selector, options, (element) => ({
      effects: this.#driver.capture(() => focusElement(verb, element)),
    }));
  }

  /** Takes focus away from the element (the focused one without a selector). */
  blur(selector?: string, options: ActionOptions = {}): Promise<void> {
    const verb = selector === undefined ? 'blur()' : `blur('${selector}')`;
    const find = (): Element => {
      const active = this.document.activeElement;
      if (!active || !this.root.contains(active) || active === this.root) {
        throw new TestClientError(
          'LONA_TEST_BAD_TARGET',
          `${verb}: no element of the view has focus`,
        );
      }
      return active;
    };
    return this.#act(verb, selector ?? find, options, (element) => ({
      effects: this.#driver.capture(() => blurElement(verb, element)),
    }));
  }

  /**
   * Navigates inside the app, as a click on a link does (`Lona.navigate(url)` in a
   * browser): the current view is left, and this resolves when the next one shows its
   * first tree.
   */
  async navigate(path: string, options: ActionOptions = {}): Promise<void> {
    const verb = `navigate('${path}')`;
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    this.#assertConnected(verb);
    const url = new URL(path, this.url);
    if (url.origin !== new URL(this.url).origin) {
      throw new TestClientError(
        'LONA_TEST_BAD_TARGET',
        `${verb}: ${url.href} is not in this app; the test client only navigates inside the app`,
      );
    }
    await this.#waitNavigation(verb, this.#driver.navigate(url.href), timeoutMs);
  }

  /** Sends a custom message to the view (seen by `handleWebsocketMessage` middlewares). */
  send(data: unknown): void {
    this.#assertConnected('send()');
    this.#assertShowing('send()');
    this.#driver.sendMessage(data);
  }

  // Waiting -------------------------------------------------------------------------------

  /** Waits until an element matches `selector`; resolves with it. */
  waitFor(selector: string, options?: WaitForOptions): Promise<HTMLElement>;
  /** Waits until the text of `selector` (the whole view without one) contains `text` or matches it. */
  waitFor(condition: TextCondition, options?: WaitForOptions): Promise<void>;
  /**
   * Waits until `predicate(view)` returns a truthy value and resolves with it. It is
   * checked now and after every frame from the server; a throw counts as not yet.
   */
  waitFor<T>(predicate: (view: TestView) => T, options?: WaitForOptions): Promise<NonNullable<T>>;
  waitFor(
    condition: string | TextCondition | ((view: TestView) => unknown),
    options: WaitForOptions = {},
  ): Promise<unknown> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const { check, what } = conditionOf(condition);
    let lastError: unknown;
    const test = (): unknown => {
      try {
        lastError = undefined;
        return check(this);
      } catch (error) {
        lastError = error;
        return undefined;
      }
    };
    const now = test();
    if (now) return Promise.resolve(now);
    let stop = (): void => undefined;
    const met = new Promise<unknown>((resolve) => {
      stop = this.#driver.onChange(() => {
        const value = test();
        if (value) resolve(value);
      });
    });
    return withTimeout(met, timeoutMs, () => {
      const why = lastError instanceof Error ? `\nThe last check threw: ${lastError.message}` : '';
      return this.#timeoutError(`waitFor(${what})`, `the condition to hold${why}`, timeoutMs);
    }).finally(stop);
  }

  // Connection ----------------------------------------------------------------------------

  /**
   * Drops the connection without a close handshake, as a network failure does. The server
   * stops the view (UserAbort) unless it is a daemon; the tab keeps showing what it showed.
   * Verbs reject until `reconnect()`.
   */
  disconnect(): Promise<void> {
    return this.#driver.disconnect();
  }

  /**
   * Opens a new connection and starts the view for the current URL again, as the browser
   * client does after a dropped connection (never a POST); a daemon view re-attaches with
   * its state. A tab that is still connected is dropped first. Resolves when the view's
   * first tree arrived.
   */
  async reconnect(options: ActionOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    if (this.#driver.closed) {
      throw new TestClientError('LONA_TEST_DISCONNECTED', 'reconnect(): the tab is closed');
    }
    await this.#driver.disconnect();
    await this.#waitNavigation('reconnect()', this.#driver.connect(), timeoutMs);
  }

  /** Closes the tab: the server stops its view (UserAbort) unless it is a daemon. */
  async close(): Promise<void> {
    await this.#driver.close();
    this.#onClose();
  }

  /** @internal The first connect of a new tab (TestClient.open). */
  async start(timeoutMs: number): Promise<void> {
    await this.#waitNavigation(`open('${this.url}')`, this.#driver.connect(), timeoutMs);
  }

  // Internals -----------------------------------------------------------------------------

  /**
   * The frame of every verb: find the element, do the action, then wait for the `done` of
   * every event it sent (rejecting on the first code) and for the navigation it started.
   */
  async #act(
    verb: string,
    target: string | (() => Element),
    options: ActionOptions,
    action: (element: Element) => { effects: Effects; explain?: () => string },
  ): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const deadline = Date.now() + timeoutMs;
    // A verb called while a view is starting acts on that view, as a user would.
    const starting = this.#driver.navigation;
    if (starting) await this.#waitNavigation(verb, starting, timeoutMs, deadline);
    this.#assertConnected(verb);
    this.#assertShowing(verb);
    const element = typeof target === 'string' ? this.#find(verb, target) : target();
    const errorsBefore = this.#driver.errors.length;
    const { effects, explain } = action(element);
    if (effects.events.length === 0 && !effects.navigated) {
      if (!explain) return; // fill, select, check, focus, blur: nothing to send is fine
      const thrown = this.#driver.errors.slice(errorsBefore);
      const errors = thrown.length
        ? `\nThe browser client reported: ${thrown.map((e) => e.message).join('; ')}`
        : '';
      throw new TestClientError(
        'LONA_TEST_NOTHING_SENT',
        `${verb}: ${describeElement(element)} sent no event and navigated nowhere: ${explain()}.${errors}`,
      );
    }
    await this.#waitDone(verb, effects.events, deadline, timeoutMs);
    // A redirect arrives before its event's `done`: by now its view start is under way.
    const navigation = this.#driver.navigation;
    if (navigation) await this.#waitNavigation(verb, navigation, timeoutMs, deadline);
  }

  /** Waits until `deadline`; `timeoutMs` is the whole wait the verb was given, for the message. */
  async #waitDone(
    verb: string,
    events: SentEvent[],
    deadline: number,
    timeoutMs: number,
  ): Promise<void> {
    if (events.length === 0) return;
    const codes = await withTimeout(
      Promise.all(events.map((event) => event.done.promise)),
      deadline - Date.now(),
      () => {
        const waiting = events.filter((event) => !event.done.settled);
        const names = waiting.map((event) => `${event.name} (event ${event.eventId})`).join(', ');
        return this.#timeoutError(
          verb,
          `'done' of ${names}; the handler may still be running, or waiting for a worker slot`,
          timeoutMs,
        );
      },
    );
    const index = codes.findIndex((code) => code !== undefined);
    if (index < 0) return;
    const code = codes[index]!;
    const event = events[index]!;
    throw new TestClientError(
      'LONA_TEST_EVENT_REFUSED',
      `${verb}: the server refused the ${event.name} event with the code '${code}' (${
        DONE_CODE_MEANINGS[code] ?? 'see docs/protocol.md'
      }).\nThe view shows:\n${htmlForMessage(this.html())}`,
      { doneCode: code },
    );
  }

  async #waitNavigation(
    verb: string,
    navigation: Promise<void>,
    timeoutMs: number,
    deadline = Date.now() + timeoutMs,
  ): Promise<void> {
    const target = this.#driver.navigationTarget ?? this.url;
    await withTimeout(navigation, deadline - Date.now(), () =>
      this.#timeoutError(
        verb,
        `the view for ${target} to show its first tree; its handleRequest may not have shown anything yet, or it waits for a runtime slot`,
        timeoutMs,
      ),
    );
  }

  #find(verb: string, selector: string): Element {
    const element = this.root.querySelector(selector);
    if (element) return element;
    throw new TestClientError(
      'LONA_TEST_NO_MATCH',
      `${verb}: no element of the view matches '${selector}' (at ${this.url}).\nThe view shows:\n${htmlForMessage(this.html())}`,
    );
  }

  #assertConnected(verb: string): void {
    const reason = this.#driver.disconnectReason;
    if (reason !== null) {
      const hint = this.#driver.closed ? '' : '; call view.reconnect() first';
      throw new TestClientError(
        'LONA_TEST_DISCONNECTED',
        `${verb}: the tab is disconnected (${reason})${hint}`,
      );
    }
  }

  #assertShowing(verb: string): void {
    if (this.#driver.viewId === null && this.#driver.httpRedirectedTo !== null) {
      throw new TestClientError(
        'LONA_TEST_NO_VIEW',
        `${verb}: the tab shows no view: an HTTP redirect sent it to ${this.#driver.httpRedirectedTo}; view.navigate() starts a view in it`,
      );
    }
  }

  #timeoutError(verb: string, what: string, timeoutMs: number): TestClientError {
    const state = this.connected
      ? ''
      : ` The tab is disconnected (${this.#driver.disconnectReason}).`;
    return new TestClientError(
      'LONA_TEST_TIMEOUT',
      `${verb}: timed out after ${timeoutMs} ms waiting for ${what}.${state}\nThe view at ${this.url} shows:\n${htmlForMessage(this.html())}`,
    );
  }
}

function conditionOf(condition: string | TextCondition | ((view: TestView) => unknown)): {
  check: (view: TestView) => unknown;
  what: string;
} {
  if (typeof condition === 'string') {
    return { check: (view) => view.root.querySelector(condition), what: `'${condition}'` };
  }
  if (typeof condition === 'function') {
    return { check: condition, what: condition.name ? `${condition.name}()` : 'a predicate' };
  }
  const { text, selector } = condition;
  const where = selector === undefined ? '' : `, selector: '${selector}'`;
  return {
    check: (view) => {
      const actual = view.text(selector);
      return typeof text === 'string' ? actual.includes(text) : text.test(actual);
    },
    what: `{ text: ${typeof text === 'string' ? JSON.stringify(text) : String(text)}${where} }`,
  };
}
