/**
 * The bundle entry (dist/client/lona.js, served under /_lona/). At load it defines
 * `window.Lona` (`registerWidget`, `on`, `send`, `navigate`) and `window.lona` (the same
 * client API), so page scripts can register widgets and hooks right away; once the
 * document is parsed it reads `#lona-settings` and starts the client on `#lona`.
 * All behaviour lives in the modules it imports.
 */
import type { SubmitData } from '../protocol/events.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import { LonaClient } from './connection.js';
import { Hooks, type Hook, type HookName } from './hooks.js';
import { readSettings } from './settings.js';
import { widgetRegistry, type WidgetClass } from './widgets.js';

export interface LonaApi {
  readonly version: number;
  registerWidget(name: string, widgetClass: WidgetClass): void;
  on<K extends HookName>(name: K, hook: Hook<K>): () => void;
  /** Sends a custom message to the current view. */
  send(data: unknown): void;
  /** Navigates inside the app (no page load). */
  navigate(url: string, method?: 'GET' | 'POST', post?: SubmitData): void;
}

declare global {
  interface Window {
    Lona: LonaApi;
    lona: LonaApi;
  }
}

const hooks = new Hooks();
let client: LonaClient | undefined;
let booted = false;

const api: LonaApi = {
  version: PROTOCOL_VERSION,
  registerWidget: (name, widgetClass) => widgetRegistry.register(name, widgetClass),
  on: (name, hook) => hooks.on(name, hook),
  send: (data) => client?.send(data),
  navigate: (url, method, post) =>
    client ? client.navigate(url, method, post) : window.location.assign(url),
};
window.Lona = window.lona = api;

function boot(): void {
  if (booted) return;
  booted = true;
  const root = document.getElementById('lona');
  if (!root) {
    console.error('lona: the page has no element with id "lona"');
    return;
  }
  client = new LonaClient({ root, settings: readSettings(document), hooks });
  client.start();
}

// Start after DOMContentLoaded: by then every deferred script after this one (the page's
// widget classes) has run, so no tree can arrive before its widgets are registered.
// `load` covers a client script added after DOMContentLoaded.
if (document.readyState === 'complete') boot();
else {
  document.addEventListener('DOMContentLoaded', boot);
  window.addEventListener('load', boot);
}
