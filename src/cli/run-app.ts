/**
 * Runs an app as a program (SPEC §3.3, §4.5): starts it, installs the signal and
 * process-error handlers that `app.start()` leaves out, and stops gracefully on SIGINT or
 * SIGTERM within the shutdown timeout. Used by `app.run()` and `lona-ts run`.
 */
import type { App, RunOptions } from '../app.js';

export async function runApp(app: App, options: RunOptions = {}): Promise<void> {
  if (options.logLevel) app.logger.level = options.logLevel;
  const timeoutMs = options.shutdownTimeoutMs ?? app.settings.SHUTDOWN_TIMEOUT_MS;
  let stopping = false;

  const stop = async (signal: string, exitCode: number) => {
    if (stopping) {
      app.logger.warn(`${signal} again: exiting now.`);
      process.exit(exitCode || 1);
    }
    stopping = true;
    app.logger.info(`${signal}: stopping (up to ${timeoutMs} ms)…`);
    // A stuck stop must not keep the process alive past the timeout.
    setTimeout(() => process.exit(exitCode || 1), timeoutMs + 1_000).unref();
    try {
      await app.stop({ timeoutMs });
    } catch (error) {
      app.logger.error('Error while stopping', error);
    }
    process.exit(exitCode);
  };

  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('unhandledRejection', (reason) => {
    app.logger.error('Unhandled promise rejection (the process keeps running)', reason);
  });
  process.on('uncaughtException', (error) => {
    app.logger.error('Uncaught exception: restarting gracefully', error);
    void stop('uncaughtException', 1);
  });

  const url = await app.start({ host: options.host, port: options.port });
  app.logger.info(`lona-ts serving on ${url}`);
}
