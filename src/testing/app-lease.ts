/**
 * Who starts and stops an app under test. A test client starts the app (port 0) when it
 * is not running, and the app stops when the last test client that uses it closes; an app
 * the test started itself (`await app.start()`) is used as it is and never stopped here.
 * Several clients of one app share one start, so two `createTestClient(app)` calls in a
 * row neither start it twice nor stop it under each other.
 */
import type { App } from '../app.js';

export interface AppLease {
  /** The app's URL, `http://host:port`. */
  readonly url: string;
  /** Gives the lease back; the last holder of an app the test clients started stops it. */
  release(): Promise<void>;
}

interface Started {
  url: Promise<string>;
  holders: number;
}

/** Apps that test clients started, with how many clients hold them. */
const startedApps = new WeakMap<App, Started>();

export async function leaseApp(app: App, host: string): Promise<AppLease> {
  let started = startedApps.get(app);
  if (!started) {
    const server = app.server;
    if (server) {
      if (!server.origin) {
        throw new Error(
          'createTestClient(): the app is still starting; await app.start() before opening views.',
        );
      }
      return { url: server.origin, release: async () => undefined };
    }
    started = { url: app.start({ host, port: 0 }), holders: 0 };
    startedApps.set(app, started);
  }
  const entry = started;
  entry.holders++;
  let url: string;
  try {
    url = await entry.url;
  } catch (error) {
    if (startedApps.get(app) === entry) startedApps.delete(app);
    throw error;
  }
  let released = false;
  return {
    url,
    async release() {
      if (released) return;
      released = true;
      if (--entry.holders > 0) return;
      if (startedApps.get(app) === entry) startedApps.delete(app);
      await app.stop();
    },
  };
}
