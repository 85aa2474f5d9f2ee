/** `lona-ts run APP`: loads the app and runs it; CLI flags override `app.run()` options. */
import { dirname } from 'node:path';
import { isLiveReloadChild } from '../../internal/live-reload.js';
import { Logger, type LogLevel } from '../../internal/logger.js';
import { DEFAULT_SETTINGS } from '../../settings.js';
import { runApp } from '../run-app.js';
import { superviseLiveReload } from '../live-reload.js';
import { appModulePath, loadApp } from '../load-app.js';
import { CliError } from '../cli-error.js';
import type { CliValues } from '../main.js';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'];

export async function runCommand(args: string[], values: CliValues): Promise<number> {
  const logLevel = values['log-level'];
  if (logLevel !== undefined && !LOG_LEVELS.includes(logLevel)) {
    throw new CliError(`--log-level must be one of ${LOG_LEVELS.join(', ')}; got '${logLevel}'.`);
  }
  if (isLiveReloadChild()) {
    // The supervisor's IPC channel must not keep alive a child that failed to load.
    process.channel?.unref();
  } else if (values['live-reload']) {
    // The supervisor runs no app code: each child loads the app afresh and reports its
    // own errors, and a broken app waits for the next change.
    await superviseLiveReload({
      watchDir: dirname(appModulePath(args[0])),
      host: values.host,
      port: values.port !== undefined ? parseInteger('--port', values.port) : undefined,
      shutdownTimeoutMs:
        values['shutdown-timeout'] !== undefined
          ? parseInteger('--shutdown-timeout', values['shutdown-timeout'])
          : DEFAULT_SETTINGS.SHUTDOWN_TIMEOUT_MS,
      logger: new Logger({ level: logLevel as LogLevel | undefined }),
    });
    return 0;
  }
  const app = await loadApp(args[0], {
    settingsFiles: values.settings,
    overrides: values.override,
  });
  const recorded = app.runOptions ?? {};
  try {
    await runApp(
      app,
      {
        ...recorded,
        host: values.host ?? recorded.host,
        port: values.port !== undefined ? parseInteger('--port', values.port) : recorded.port,
        logLevel: (logLevel as LogLevel | undefined) ?? recorded.logLevel,
        processes:
          values.processes !== undefined
            ? parseInteger('--processes', values.processes)
            : recorded.processes,
        shutdownTimeoutMs:
          values['shutdown-timeout'] !== undefined
            ? parseInteger('--shutdown-timeout', values['shutdown-timeout'])
            : recorded.shutdownTimeoutMs,
      },
      { appPath: args[0] },
    );
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      const port = values.port ?? recorded.port ?? 8080;
      throw new CliError(`Port ${port} is in use. Stop the other server or pick another --port.`);
    }
    throw error;
  }
  return 0;
}

function parseInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new CliError(`${flag} needs a whole number ≥ 0; got '${text}'.`);
  return value;
}
