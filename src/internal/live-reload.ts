/**
 * How an app process learns that it runs under `lona-ts run --live-reload`: the supervisor
 * (cli/live-reload.ts) sets these variables for every app process it starts. The server
 * reads them for the client settings (the browser reloads after a restart), and
 * cli/run-app.ts for what such a process does differently.
 */

/** Set to '1' in an app process that a live-reload supervisor runs. */
export const LIVE_RELOAD_ENV = 'LONA_LIVE_RELOAD';
/** The port the supervisor picked for `--port 0`, so that every restart serves on it. */
export const LIVE_RELOAD_PORT_ENV = 'LONA_LIVE_RELOAD_PORT';

/** Whether this process is an app process run by a live-reload supervisor. */
export function isLiveReloadChild(): boolean {
  return process.env[LIVE_RELOAD_ENV] === '1';
}
