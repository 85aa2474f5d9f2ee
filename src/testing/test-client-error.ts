/**
 * The one error class the test client throws, with a `code` per kind of failure so a test
 * can tell a refused event from a timeout, and messages written for a test report: the
 * call that failed, what it waited for, and what the tab showed at that moment. The
 * framework's own errors (src/errors.ts) are about apps; these are about tests.
 */

export type TestClientErrorCode =
  /** The event's `done` carried a code: the server did not run its handlers. */
  | 'LONA_TEST_EVENT_REFUSED'
  /** A verb, `open()`, a navigation or `waitFor()` did not finish in time. */
  | 'LONA_TEST_TIMEOUT'
  /** A selector matched no element of the view. */
  | 'LONA_TEST_NO_MATCH'
  /** The element cannot take this verb (`fill` on a checkbox, `check` on a text input, …). */
  | 'LONA_TEST_BAD_TARGET'
  /** The action reached the browser client's code, which sent no event and did not navigate. */
  | 'LONA_TEST_NOTHING_SENT'
  /** The tab has no connection (dropped, closed by the server, or closed by the test). */
  | 'LONA_TEST_DISCONNECTED'
  /** The tab shows no view: an HTTP redirect sent it out of the app. */
  | 'LONA_TEST_NO_VIEW'
  /** The server refused the WebSocket or the session cookie could not be obtained. */
  | 'LONA_TEST_CONNECTION_REFUSED';

/** What each `done` code means (docs/protocol.md), for messages. */
export const DONE_CODE_MEANINGS: Readonly<Record<string, string>> = {
  'unknown-view': 'the view id is not the one this connection shows',
  'view-stopped': 'the view has stopped',
  'unknown-node': 'the node is not in the tree the server shows',
  'not-declared': 'the node does not declare this event on the server',
  disabled: 'the node is disabled on the server',
  'invalid-data': 'the value does not fit the node',
  error: 'a handler threw; the view shows its error view',
};

/** What each WebSocket close code means (docs/protocol.md), for messages. */
export const CLOSE_CODE_MEANINGS: Readonly<Record<number, string>> = {
  1000: 'normal close',
  1006: 'dropped without a close frame',
  1008: 'policy: malformed frames, or refused by a handleConnection middleware',
  1009: 'a frame was too big',
  1011: 'server error',
  1012: 'the server is stopping or restarting',
  1013: 'try later: too many connections',
  4000: 'protocol version mismatch',
  4001: 'no valid session cookie',
  4002: 'input flood',
};

export class TestClientError extends Error {
  readonly code: TestClientErrorCode;
  /** For LONA_TEST_EVENT_REFUSED: the code `done` carried (`'error'`, `'disabled'`, …). */
  readonly doneCode: string | undefined;

  constructor(code: TestClientErrorCode, message: string, options: { doneCode?: string } = {}) {
    super(`${code}: ${message}`);
    this.name = 'TestClientError';
    this.code = code;
    this.doneCode = options.doneCode;
  }
}

/** Longest HTML put into a message: enough to see what the view showed, short enough to read. */
const MAX_HTML_IN_MESSAGE = 3000;

/** The tab's HTML for an error message, cut to a readable length. */
export function htmlForMessage(html: string): string {
  if (html === '') return '(the view shows nothing)';
  return html.length > MAX_HTML_IN_MESSAGE
    ? `${html.slice(0, MAX_HTML_IN_MESSAGE)}… (${html.length - MAX_HTML_IN_MESSAGE} more characters)`
    : html;
}

export function describeCloseCode(code: number): string {
  const meaning = CLOSE_CODE_MEANINGS[code];
  return meaning ? `${code} (${meaning})` : String(code);
}
