/**
 * `lona-ts/testing`: test an app through the real protocol (SPEC §3.12). A test client
 * user opens tabs whose views are rendered by the browser client's own code in happy-dom;
 * the browser helpers run the same app in Chromium through playwright-core, which is
 * loaded only when they are used.
 */
import { CLI_MODE } from '../app.js';

// An app module calls `app.run()` when it is imported; under test that only records the
// options, as under the CLI: the test client starts the app (port 0) and stops it. (A
// test imports lona-ts/testing before the app module.)
(globalThis as Record<symbol, unknown>)[CLI_MODE] = true;

// The test client
export {
  createTestClient,
  DEFAULT_TIMEOUT_MS,
  TestClient,
  type TestClientOptions,
} from './test-client.js';
export {
  TestView,
  type ActionOptions,
  type ClickOptions,
  type TextCondition,
  type WaitForOptions,
} from './test-view.js';
export type { ClickModifiers, OptionChoice } from './user-actions.js';
export { TestClientError, type TestClientErrorCode } from './test-client-error.js';
export type { WidgetApi, WidgetClass, Widget } from '../client/widgets.js';

// Real browsers
export {
  CHROMIUM_ARGS,
  launchChromium,
  openInBrowser,
  type BrowserPage,
  type LaunchChromiumOptions,
  type OpenInBrowserOptions,
} from './browser.js';
