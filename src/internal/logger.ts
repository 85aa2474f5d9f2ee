/**
 * A small levelled logger. lona-ts logs through one `Logger` per app so tests can capture
 * lines and the CLI's `--log-level` can filter them. Lines go to stderr, one per entry.
 */
import { formatWarning, type WarningCode } from '../errors.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface LogSink {
  (level: Exclude<LogLevel, 'silent'>, message: string): void;
}

const stderrSink: LogSink = (level, message) => {
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}\n`);
};

export class Logger {
  level: LogLevel;
  readonly #sink: LogSink;

  constructor(options: { level?: LogLevel; sink?: LogSink } = {}) {
    this.level = options.level ?? (process.env.LONA_LOG_LEVEL as LogLevel | undefined) ?? 'info';
    this.#sink = options.sink ?? stderrSink;
  }

  #log(level: Exclude<LogLevel, 'silent'>, message: string): void {
    if (RANK[level] >= RANK[this.level]) this.#sink(level, message);
  }

  debug(message: string): void {
    this.#log('debug', message);
  }
  info(message: string): void {
    this.#log('info', message);
  }
  warn(message: string): void {
    this.#log('warn', message);
  }
  error(message: string, error?: unknown): void {
    const code = (error as { code?: unknown } | null)?.code;
    const prefix = typeof code === 'string' ? `${code}: ` : '';
    const detail =
      error instanceof Error
        ? `\n${prefix}${error.stack ?? error.message}`
        : error
          ? ` ${String(error)}`
          : '';
    this.#log('error', message + detail);
  }
  /** Logs a coded warning from the catalogue. */
  warning(code: WarningCode, params: Record<string, unknown> = {}): void {
    this.#log('warn', formatWarning(code, params));
  }
}
