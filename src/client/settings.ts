/**
 * The client's settings, read from the frontend shell. The shell holds:
 *
 *   <script type="application/json" id="lona-settings">
 *   {"protocolVersion": 1, "wsPath": "/_lona/ws",
 *    "CLIENT_VIEW_START_TIMEOUT": 2, "CLIENT_INPUT_EVENT_TIMEOUT": 2,
 *    "CLIENT_AUTO_RECONNECT": true, "CLIENT_AUTO_RECONNECT_TIMEOUT": 1000,
 *    "CLIENT_PING_INTERVAL": 30}
 *   </script>
 *
 * Every key is optional; a missing key or one of the wrong type takes the default below.
 * The `CLIENT_*` names and units are Lona's (timeouts in seconds, the reconnect timeout in
 * ms). Reading is all this module does.
 */
import { PROTOCOL_VERSION, WEBSOCKET_PATH } from '../protocol/messages.js';

export interface ClientSettings {
  /** The server's protocol version; a bundle of another version reloads (once). */
  protocolVersion: number;
  /** Path of the WebSocket endpoint. */
  wsPath: string;
  /** Seconds a view start may take before the waiting state shows. */
  CLIENT_VIEW_START_TIMEOUT: number;
  /** Seconds an input event's `done` may take before the waiting state shows. */
  CLIENT_INPUT_EVENT_TIMEOUT: number;
  /** Whether to reconnect after the connection dropped. */
  CLIENT_AUTO_RECONNECT: boolean;
  /** First reconnect back-off in ms (doubled per attempt, full jitter, capped at 30 s). */
  CLIENT_AUTO_RECONNECT_TIMEOUT: number;
  /** Seconds between client pings; a ping left unanswered for one interval drops the socket. 0 = off. */
  CLIENT_PING_INTERVAL: number;
  /**
   * Reload the page, instead of starting the view again, when a lost connection comes
   * back, and retry quickly meanwhile: set under `lona-ts run --live-reload`, where the
   * server restarts on every change, so its code, templates or static files may differ.
   */
  reloadOnReconnect: boolean;
}

export const DEFAULT_CLIENT_SETTINGS: Readonly<ClientSettings> = {
  protocolVersion: PROTOCOL_VERSION,
  wsPath: WEBSOCKET_PATH,
  CLIENT_VIEW_START_TIMEOUT: 2,
  CLIENT_INPUT_EVENT_TIMEOUT: 2,
  CLIENT_AUTO_RECONNECT: true,
  CLIENT_AUTO_RECONNECT_TIMEOUT: 1000,
  CLIENT_PING_INTERVAL: 30,
  reloadOnReconnect: false,
};

/** Defaults overlaid with the keys of `given` that have the right type. */
export function resolveSettings(given: unknown): ClientSettings {
  const settings = { ...DEFAULT_CLIENT_SETTINGS } as Record<string, unknown>;
  if (typeof given === 'object' && given !== null) {
    for (const [key, value] of Object.entries(given)) {
      if (key in settings && typeof value === typeof settings[key]) settings[key] = value;
    }
  }
  return settings as unknown as ClientSettings;
}

export function readSettings(doc: Document): ClientSettings {
  const text = doc.getElementById('lona-settings')?.textContent;
  let given: unknown;
  try {
    given = text ? JSON.parse(text) : undefined;
  } catch {
    console.error('lona: #lona-settings is not valid JSON; using defaults');
  }
  return resolveSettings(given);
}
