/**
 * Starts an app on a free port for an integration test and collects its log lines, so a
 * test can assert on what was logged and nothing reaches the console.
 */
import { App, type AppOptions } from '../../src/app.js';
import { Logger } from '../../src/internal/logger.js';

export interface StartedApp {
  app: App;
  url: string;
  logs: string[];
  stop: () => Promise<void>;
}

/** A logger that keeps its lines in memory. */
export function memoryLogger(): { logger: Logger; logs: string[] } {
  const logs: string[] = [];
  const logger = new Logger({
    level: 'debug',
    sink: (level, message) => logs.push(`${level}: ${message}`),
  });
  return { logger, logs };
}

/** Builds an app with an in-memory logger; `setup` adds routes before it starts. */
export async function startApp(
  setup: (app: App) => void,
  options: Omit<AppOptions, 'logger'> = {},
): Promise<StartedApp> {
  const { logger, logs } = memoryLogger();
  const app = new App({ ...options, logger });
  setup(app);
  const url = await app.start({ port: 0 });
  return { app, url, logs, stop: () => app.stop({ timeoutMs: 1_000 }) };
}
