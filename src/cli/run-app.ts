/**
 * Runs an app as a program (SPEC §3.3, §4.5): starts it, installs the signal and
 * process-error handlers that `app.start()` leaves out, and stops gracefully on SIGINT or
 * SIGTERM within the shutdown timeout. Used by `app.run()` and `lona-ts run`. With
 * `liveReload` it becomes the live-reload supervisor instead (cli/live-reload.ts).
 */
import { dirname, resolve } from 'node:path';
import type { App, RunOptions } from '../app.js';
import { isLiveReloadChild } from '../internal/live-reload.js';
import { isClusterWorker, runPrimary } from './cluster.js';
import { attachToSupervisor, liveReloadChildOptions, superviseLiveReload } from './live-reload.js';

export interface RunContext {
  /** The app's module, whose folder live reload watches. @default the script node runs */
  appPath?: string;
}

export async function runApp(
  app: App,
  options: RunOptions = {},
  context: RunContext = {},
): Promise<void> {
  if (options.logLevel) app.logger.level = options.logLevel;
  if (isLiveReloadChild()) {
    options = liveReloadChildOptions(app, options);
  } else if (options.liveReload) {
    const appPath = context.appPath ?? process.argv[1];
    return superviseLiveReload({
      watchDir: appPath ? dirname(resolve(appPath)) : app.root,
      host: options.host,
      port: options.port ?? 8080,
      shutdownTimeoutMs: options.shutdownTimeoutMs ?? app.settings.SHUTDOWN_TIMEOUT_MS,
      logger: app.logger,
    });
  }
  const processes = options.processes ?? 1;
  if (processes > 1 && !isClusterWorker()) {
    await runPrimary(app, { ...options, processes });
    return;
  }
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

  if (!attachToSupervisor(() => void stop('live reload supervisor gone', 0))) {
    process.on('SIGINT', () => void stop('SIGINT', 0));
  }
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('unhandledRejection', (reason) => {
    app.logger.error('Unhandled promise rejection (the process keeps running)', reason);
  });
  process.on('uncaughtException', (error) => {
    app.logger.error('Uncaught exception: restarting gracefully', error);
    void stop('uncaughtException', 1);
  });

  const url = await app.start({ host: options.host, port: options.port });
  const s = app.settings;
  const index = process.env.LONA_PROCESS_INDEX;
  app.logger.info(
    `lona-ts serving on ${url} (pid ${process.pid}${index !== undefined ? `, process ${index}` : ''}; pools: runtime ${s.MAX_RUNTIME_THREADS}, http ${s.MAX_HTTP_THREADS}, worker ${s.MAX_WORKER_THREADS}, static ${s.MAX_STATIC_THREADS}, channel ${s.MAX_CHANNEL_TASK_WORKER_THREADS}, cpu ${app.threads.size})`,
  );
}
