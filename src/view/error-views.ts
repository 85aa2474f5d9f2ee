/**
 * The built-in error views (403, 404, 500, 503). Each renders its template
 * (`ERROR_<status>_TEMPLATE`) with the error; `app.errorView(status, View)` replaces them.
 * Which view runs for which error is decided by `errorStatus()`; rendering and the HTTP
 * status code are left to the server.
 */
import { ForbiddenError, NotFoundError } from '../errors.js';
import { TemplateResponse } from './responses.js';
import { View } from './view.js';

export type ErrorStatus = 403 | 404 | 500 | 503;

const TITLES: Record<ErrorStatus, string> = {
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Server Busy',
};

const MESSAGES: Record<ErrorStatus, string> = {
  403: 'You are not allowed to see this page.',
  404: 'The page you asked for does not exist.',
  500: 'Something went wrong on the server. The error was logged.',
  503: 'The server is busy. Please try again in a moment.',
};

/** The status of the error view that answers `error`. */
export function errorStatus(error: unknown): ErrorStatus {
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  return 500;
}

abstract class TemplateErrorView extends View {
  abstract readonly status: ErrorStatus;

  override handleRequest() {
    const settings = this.app.settings;
    const name = settings[`ERROR_${this.status}_TEMPLATE`];
    const showStack = settings.DEBUG && this.status === 500 && this.error instanceof Error;
    return new TemplateResponse(name, {
      status: this.status,
      title: TITLES[this.status],
      message: MESSAGES[this.status],
      stack: showStack ? String((this.error as Error).stack) : '',
      // Inside an interactive view only the content is shown; the shell is already there.
      embedded: this.request.interactive,
    });
  }
}

export class Error403View extends TemplateErrorView {
  readonly status = 403;
}
export class Error404View extends TemplateErrorView {
  readonly status = 404;
}
export class Error500View extends TemplateErrorView {
  readonly status = 500;
}
export class Error503View extends TemplateErrorView {
  readonly status = 503;
}

export const DEFAULT_ERROR_VIEWS: Record<ErrorStatus, typeof View> = {
  403: Error403View,
  404: Error404View,
  500: Error500View,
  503: Error503View,
};
