/**
 * How the channel system reports errors it survives (a handler that threw, a job a pool
 * refused): through an injected logger, with a catalogue code in front of the message. It
 * leaves levels, sinks and formatting of the stack to the logger (`internal/logger.ts`
 * fits this shape).
 */
import { ERRORS, type ErrorCode } from '../errors.js';

/** The part of a logger the channel system needs. */
export interface ErrorLogger {
  error(message: string, error?: unknown): void;
}

/** Used when nobody injects a logger, so that errors are never silent. */
export const consoleErrorLogger: ErrorLogger = {
  error: (message, error) => console.error(message, error),
};

/** Logs `CODE: message` for a catalogue code, with the error that caused it. */
export function logChannelError(
  logger: ErrorLogger,
  code: ErrorCode,
  params: Record<string, unknown>,
  error: unknown,
): void {
  logger.error(`${code}: ${ERRORS[code](params)}`, error);
}
