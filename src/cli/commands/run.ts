/** `lona-ts run APP`: loads the app and runs it; CLI flags override `app.run()` options. */
import type { LogLevel } from '../../internal/logger.js';
import { runApp } from '../run-app.js';
import { loadApp } from '../load-app.js';
import { CliError } from '../cli-error.js';
import type { CliValues } from '../main.js';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'];

export async function runCommand(args: string[], values: CliValues): Promise<number> {
  const app = await loadApp(args[0], {
    settingsFiles: values.settings,
    overrides: values.override,
  });
  const recorded = app.runOptions ?? {};
  const logLevel = values['log-level'];
  if (logLevel !== undefined && !LOG_LEVELS.includes(logLevel)) {
    throw new CliError(`--log-level must be one of ${LOG_LEVELS.join(', ')}; got '${logLevel}'.`);
  }
  try {
    await runApp(app, {
      ...recorded,
      host: values.host ?? recorded.host,
      port: values.port !== undefined ? parseInteger('--port', values.port) : recorded.port,
      logLevel: (logLevel as LogLevel | undefined) ?? recorded.logLevel,
      shutdownTimeoutMs:
        values['shutdown-timeout'] !== undefined
          ? parseInteger('--shutdown-timeout', values['shutdown-timeout'])
          : recorded.shutdownTimeoutMs,
    });
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
