/**
 * The frontend shell of interactive routes: the page that loads the browser client, which
 * then starts the view over the WebSocket. It holds no view content (SPEC §2). The
 * template is FRONTEND_TEMPLATE; a frontend view (route, app or FRONTEND_VIEW) replaces it.
 */
import { isLiveReloadChild } from '../internal/live-reload.js';
import { PROTOCOL_VERSION, WEBSOCKET_PATH } from '../protocol/messages.js';
import type { Request } from '../view/request.js';
import type { HttpServer } from './http-server.js';
import { CLIENT_URL_PREFIX } from './http-server.js';

/** The settings the browser client reads from `#lona-settings` (see src/client/). */
export function clientSettings(server: HttpServer) {
  const s = server.app.settings;
  return {
    protocolVersion: PROTOCOL_VERSION,
    wsPath: WEBSOCKET_PATH,
    CLIENT_VIEW_START_TIMEOUT: s.CLIENT_VIEW_START_TIMEOUT,
    CLIENT_INPUT_EVENT_TIMEOUT: s.CLIENT_INPUT_EVENT_TIMEOUT,
    CLIENT_AUTO_RECONNECT: s.CLIENT_AUTO_RECONNECT,
    CLIENT_AUTO_RECONNECT_TIMEOUT: s.CLIENT_AUTO_RECONNECT_TIMEOUT,
    // Under live reload a reconnect means a restarted process, maybe with other code.
    reloadOnReconnect: isLiveReloadChild(),
  };
}

/**
 * What every template lona-ts renders gets under `lona`, so error pages and user templates
 * can extend the shell (style sheets, scripts, client settings).
 */
export function lonaContext(server: HttpServer) {
  return {
    stylesheets: server.staticFiles.renderStyleTags(),
    scripts: server.staticFiles.renderScriptTags(),
    clientSettings: clientSettings(server),
    clientScriptUrl: `${CLIENT_URL_PREFIX}lona.js`,
  };
}

export function renderFrontend(server: HttpServer, request: Request): string {
  return server.templates.render(server.app.settings.FRONTEND_TEMPLATE, {
    request,
    title: '',
    lona: lonaContext(server),
  });
}
