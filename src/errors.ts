/**
 * The one catalogue of lona-ts error and warning codes (SPEC §11, STYLE rule 3).
 *
 * Every error lona-ts throws on purpose is a `LonaError` whose `code` is a key of
 * `ERRORS`; every warning it logs is a key of `WARNINGS`. Messages say what went wrong and
 * what to do. `docs/errors.md` has one heading per code, and `errors.test.ts` keeps the two
 * in step. A retired code is never reused.
 *
 * Stop reasons (`UserAbort`, `ServerStop`) and the HTTP errors user code throws
 * (`ForbiddenError`, `NotFoundError`) live here too, because the runtime, the server and
 * user code all need them.
 */

type Params = Record<string, unknown>;
type Template = (p: Params) => string;

const s = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));

/** Error codes: `LONA_ERR_<AREA>_<WHAT>` → message template. */
export const ERRORS = {
  // Settings
  LONA_ERR_SETTINGS_UNKNOWN: (p) =>
    `Unknown setting '${s(p.name)}'.${p.suggestion ? ` Did you mean '${s(p.suggestion)}'?` : ''} App-specific values go under settings.app.`,
  LONA_ERR_SETTINGS_DROPPED: (p) =>
    `The Lona setting '${s(p.name)}' is not used by lona-ts. ${s(p.replacement)}`,
  LONA_ERR_SETTINGS_TYPE: (p) =>
    `Setting '${s(p.name)}' must be ${s(p.expected)}, got ${s(p.got)}.`,
  LONA_ERR_SETTINGS_FILE: (p) => `Could not load the settings file '${s(p.path)}': ${s(p.reason)}`,
  LONA_ERR_SETTINGS_OVERRIDE: (p) =>
    `Bad override '${s(p.text)}': write it as NAME=VALUE, for example -o MAX_RUNTIME_THREADS=50.`,

  // Routing
  LONA_ERR_ROUTE_DUPLICATE_NAME: (p) =>
    `Route name '${s(p.name)}' is already used by ${s(p.existing)}; ${s(p.pattern)} uses it again. Give one of them a different name.`,
  LONA_ERR_ROUTE_INVALID_PATTERN: (p) =>
    `Route ${s(p.pattern)} has an invalid pattern: ${s(p.reason)}.`,
  LONA_ERR_ROUTE_UNKNOWN_NAME: (p) =>
    `No route is named '${s(p.name)}'.${p.known ? ` Known names: ${s(p.known)}.` : ''}`,
  LONA_ERR_ROUTE_MISSING_PARAM: (p) =>
    `reverse('${s(p.name)}') needs the parameter '${s(p.param)}' for ${s(p.pattern)}.`,
  LONA_ERR_ROUTE_BAD_PARAM: (p) =>
    `reverse('${s(p.name)}'): the value ${s(p.value)} for '${s(p.param)}' does not match ${s(p.pattern)}.`,
  LONA_ERR_ROUTE_NOT_REVERSIBLE: (p) =>
    `reverse('${s(p.name)}'): the route uses MATCH_ALL, which matches every path, so it has no URL of its own. Link to a concrete path instead.`,
  LONA_ERR_ROUTE_BAD_VIEW: (p) =>
    `app.route('${s(p.pattern)}', ...) needs a View subclass${p.passThrough ? ' or, with httpPassThrough, a (req, res) function' : ''}; got ${s(p.got)}.`,

  // HTTP
  LONA_ERR_HTTP_BAD_URL: (p) => `Malformed URL or percent-encoding: ${s(p.url)}`,
  LONA_ERR_HTTP_BODY_TOO_LARGE: (p) =>
    `The request body is larger than ${s(p.limit)} bytes (MAX_HTTP_BODY_BYTES).`,
  LONA_ERR_HTTP_METHOD_NOT_ALLOWED: (p) =>
    `${s(p.method)} is not allowed here; allowed: ${s(p.allow)}.`,
  LONA_ERR_HTTP_BAD_BODY: (p) => `The request body could not be parsed: ${s(p.reason)}`,
  LONA_ERR_HTTP_CROSS_SITE: () =>
    `Cross-site POST refused (Origin / Sec-Fetch-Site). Add the origin to ALLOWED_ORIGINS if it is yours.`,

  // Responses
  LONA_ERR_RESPONSE_NOT_INTERACTIVE: (p) =>
    `${s(p.kind)} responses, binary bodies and custom headers or status codes are only available in non-interactive views. Register the route with { interactive: false }.`,
  LONA_ERR_RESPONSE_BAD_VALUE: (p) =>
    `handleRequest() returned ${s(p.got)}; return a string, a node, a response object or undefined.`,
  LONA_ERR_RESPONSE_FILE_OUTSIDE_ROOT: (p) =>
    `FileResponse path '${s(p.path)}' is outside its root '${s(p.root)}'.`,

  // Templates and static files
  LONA_ERR_TEMPLATE_NOT_FOUND: (p) =>
    `Template '${s(p.name)}' was not found in TEMPLATE_DIRS (${s(p.dirs)}).`,
  LONA_ERR_TEMPLATE_RENDER: (p) => `Template '${s(p.name)}' failed to render: ${s(p.reason)}`,
  LONA_ERR_STATIC_DUPLICATE_NAME: (p) =>
    `Static file name '${s(p.name)}' is declared twice (${s(p.first)} and ${s(p.second)}).`,
  LONA_ERR_STATIC_MISSING_FILE: (p) =>
    `Static file '${s(p.name)}' declared by ${s(p.owner)} does not exist at ${s(p.path)}.`,
  LONA_ERR_STATIC_DUPLICATE_URL: (p) =>
    `Static files '${s(p.first)}' and '${s(p.second)}' are both served at '${s(p.url)}'. Give one of them a different url option.`,
  LONA_ERR_STATIC_BAD_DECLARATION: (p) => `Static file declaration ${s(p.name)}: ${s(p.reason)}.`,
  LONA_ERR_STATIC_BAD_DEST: (p) =>
    `collect-static cannot write to '${s(p.dest)}': ${s(p.reason)}. Choose an empty directory outside the static dirs.`,

  // HTML nodes
  LONA_ERR_HTML_CYCLE: () =>
    `A node cannot be inserted into its own subtree. Insert a copy or a different node.`,
  LONA_ERR_HTML_RESERVED_ATTRIBUTE: (p) =>
    `'${s(p.name)}' cannot be set through attributes; use ${s(p.api)} instead.`,
  LONA_ERR_HTML_BAD_ATTRIBUTE_NAME: (p) =>
    `Invalid attribute name '${s(p.name)}': names match ^[A-Za-z_:][-A-Za-z0-9_.:]*$ and may not start with 'on' (declare events with the events prop).`,
  LONA_ERR_HTML_BAD_ATTRIBUTE_VALUE: (p) =>
    `Attribute '${s(p.name)}' needs a string, number or boolean value; got ${s(p.got)}.`,
  LONA_ERR_HTML_BAD_TAG_NAME: (p) =>
    `Invalid tag name '${s(p.name)}': tag names match ^[A-Za-z][A-Za-z0-9-]*$.`,
  LONA_ERR_HTML_UNSAFE_URL: (p) =>
    `Attribute '${s(p.name)}' has the URL '${s(p.url)}', whose scheme is not allowed. Use http(s), mailto, tel or a relative URL, or wrap a trusted URL in unsafeUrl().`,
  LONA_ERR_HTML_UNSAFE_ATTRIBUTE: (p) =>
    `The attribute '${s(p.name)}' is not allowed: it holds a whole HTML document, which runs script with the page's origin. It is refused on every element, also wrapped in unsafeUrl() or in parseHtml() markup, and sandbox does not change that. Serve the document from a route of its own and point the iframe's src at it, with a sandbox attribute when the document is not yours.`,
  LONA_ERR_HTML_UNSAFE_REDIRECT: (p) =>
    `Redirect target '${s(p.url)}' has a scheme that is not allowed. Redirect to http(s), mailto, tel or a relative URL, or wrap a trusted URL in unsafeUrl().`,
  LONA_ERR_HTML_BAD_SELECTOR: (p) =>
    `Unsupported selector '${s(p.selector)}': use tag, #id, .class, [attr] / [attr=value], combined, with ',' alternatives${p.reason ? ` (${s(p.reason)})` : ''}.`,
  LONA_ERR_HTML_SCRIPT_CLOSING_TAG: (p) => `${s(p.tag)} text may not contain '</${s(p.tag)}'.`,
  LONA_ERR_HTML_SHOWN_ELSEWHERE: () =>
    `This tree is already shown by another live view; a tree can be shown by one view at a time. Build a new tree for this view.`,
  LONA_ERR_HTML_BAD_CHILD: (p) =>
    `Cannot add ${s(p.got)} as a child node; children are nodes, strings, numbers or iterables of them.`,
  LONA_ERR_HTML_BAD_WIDGET_DATA: (p) => `Widget data must be JSON: ${s(p.reason)}`,
  LONA_ERR_HTML_BAD_VALUE: (p) =>
    `${s(p.node)}.value cannot be set to ${s(p.got)}: ${s(p.expected)}.`,
  LONA_ERR_HTML_BAD_HANDLER: (p) => `'${s(p.name)}' must be a function, got ${s(p.got)}.`,
  LONA_ERR_HTML_INDEX: (p) =>
    `Index ${s(p.index)} is out of range for a node list of length ${s(p.length)}.`,
  LONA_ERR_HTML_RAW_NO_CHILDREN: (p) => `${s(p.node)} cannot have child nodes.`,
  LONA_ERR_HTML_BAD_EVENT_NAME: (p) =>
    `Cannot declare the event '${s(p.name)}': use click, change, focus, blur, submit or a custom name matching ^[A-Za-z][A-Za-z0-9_.:-]{0,63}$.`,
  LONA_ERR_HTML_BAD_TOKEN: (p) =>
    `${s(p.list)}: '${s(p.token)}' is not a valid token; tokens are non-empty and contain no whitespace (add them one at a time).`,
  LONA_ERR_HTML_BAD_STYLE: (p) =>
    `style.set('${s(p.name)}', ${s(p.got)}): names are CSS property names (kebab-case, camelCase or --custom) and values are strings or numbers.`,
  LONA_ERR_HTML_BAD_PROP: (p) =>
    `The prop '${s(p.name)}' of ${s(p.node)} needs ${s(p.expected)}; got ${s(p.got)}.`,
  LONA_ERR_HTML_RECORDER_PENDING: () =>
    `serializeTree() was called while patches are pending; call flush() first and send its batch to the other connections.`,

  // Resource pools
  LONA_ERR_POOL_QUEUE_FULL: (p) =>
    `The ${s(p.pool)} pool's queue is full (${s(p.limit)} waiting). The server is busy; retry later, or raise MAX_*_THREADS / ${String(p.pool).toUpperCase()}_QUEUE_MAX.`,
  LONA_ERR_POOL_QUEUE_TIMEOUT: (p) =>
    `Waited ${s(p.ms)} ms for a slot of the ${s(p.pool)} pool. The server is busy; retry later, or raise MAX_*_THREADS / ${String(p.pool).toUpperCase()}_QUEUE_TIMEOUT_MS.`,

  // Channels
  LONA_ERR_CHANNEL_BROKER_UNKNOWN: (p) =>
    `CHANNEL_BROKER '${s(p.broker)}' is not available: use 'memory' (one process) or a redis:// URL.`,
  LONA_ERR_CHANNEL_BAD_TOPIC: (p) =>
    `Invalid channel topic '${s(p.topic)}': ${s(p.reason)}. Topics are made of letters, digits, '_', '.', ':', '-' and '*' (any run of characters), for example 'chat.room-1' or 'chat.*'.`,
  LONA_ERR_CHANNEL_NOT_JSON: (p) =>
    `Channel message data for '${s(p.topic)}' must be JSON: ${s(p.reason)}. Send plain objects, arrays, strings, finite numbers, booleans or null (a Date is sent as its ISO string).`,
  LONA_ERR_CHANNEL_BAD_TTL: (p) =>
    `send({ ttlMs }) on '${s(p.topic)}' needs a positive, finite number of milliseconds; got ${s(p.got)}.`,
  LONA_ERR_CHANNEL_BAD_MESSAGE: (p) =>
    `A channel message for '${s(p.topic)}' is malformed: ${s(p.reason)}.`,
  LONA_ERR_CHANNEL_BAD_HANDLER: (p) =>
    `A channel handler for '${s(p.topic)}' must be a function taking { topic, data, expiresAt }; got ${s(p.got)}.`,
  LONA_ERR_CHANNEL_ALREADY_SUBSCRIBED: (p) =>
    `The channel '${s(p.topic)}' is already subscribed. Call unsubscribe() first, or get another channel with app.channel('${s(p.topic)}') for a second handler.`,
  LONA_ERR_CHANNEL_CLOSED: (p) =>
    `Cannot ${s(p.action)}: the channel system is closed because the app stopped.`,
  LONA_ERR_CHANNEL_HANDLER_THREW: (p) =>
    `The channel handler subscribed to '${s(p.pattern)}' threw on a message for '${s(p.topic)}'. The subscriber keeps receiving; catch errors in the handler to handle them yourself.`,
  LONA_ERR_CHANNEL_DELIVERY_REFUSED: (p) =>
    `A message for '${s(p.topic)}' was dropped for the subscriber to '${s(p.pattern)}' because its scheduler refused the job${p.reason ? ` (${s(p.reason)})` : ''}. See the pool's queue settings.`,
  LONA_ERR_CHANNEL_BROKER_DOWN: (p) =>
    `The message for '${s(p.topic)}' could not be handed to Redis at ${s(p.url)}: ${s(p.reason)}. The channel broker buffers nothing while Redis is down; it reconnects by itself and logs 'channel broker: Redis reconnected', so send again later or tell the user.`,
  LONA_ERR_CHANNEL_BROKER_UNREACHABLE: (p) =>
    `The channel broker cannot connect to Redis at ${s(p.url)}: ${s(p.reason)}. Check that redis-server runs there and that CHANNEL_BROKER names it (redis://host:port, or rediss:// for TLS).`,
  LONA_ERR_CHANNEL_REDIS_CLIENT_MISSING: (p) =>
    `CHANNEL_BROKER '${s(p.url)}' needs the Redis client 'ioredis', which could not be loaded (${s(p.reason)}). Install it with 'npm install ioredis'.`,

  // Middlewares
  LONA_ERR_MIDDLEWARE_INVALID: (p) =>
    `Middleware ${s(p.name)} has none of the hooks ${s(p.hooks)}. Pass an object or class with at least one of them.`,

  // Threads (runInThread)
  LONA_ERR_THREAD_NOT_CLONEABLE: (p) =>
    `runInThread() arguments and results must survive structuredClone (no functions, class instances keep no methods): ${s(p.reason)}`,

  // Views and the runtime
  LONA_ERR_VIEW_AWAIT_OUTSIDE_REQUEST: (p) =>
    `${s(p.method)}() can only be called while handleRequest() runs, not from an input event or channel handler (it would wait on the view's own lane). Use a node handler or handleInputEvent instead.`,
  LONA_ERR_VIEW_NOT_INTERACTIVE: (p) => `${s(p.method)}() is only available in interactive views.`,
  LONA_ERR_VIEW_DAEMON_KEY_TAKEN: () =>
    `Another daemon view already runs for this user, route and parameters. Re-attach to it by opening the same URL, or stop it first.`,
  LONA_ERR_VIEW_TOO_MANY_DAEMONS: (p) =>
    `This user already has ${s(p.limit)} daemon views (MAX_DAEMON_VIEWS_PER_USER).`,
} satisfies Record<string, Template>;

/** Warning codes: `LONA_WARN_<WHAT>` → message template. */
export const WARNINGS = {
  LONA_WARN_PROTOCOL_BAD_MESSAGE: (p) => `Ignored a malformed message: ${s(p.reason)}`,
  LONA_WARN_CHANNEL_BAD_REDIS_MESSAGE: (p) =>
    `Ignored a malformed message on the Redis channel '${s(p.channel)}': ${s(p.reason)}. Only lona-ts channel brokers of one app should publish there; give the app its own namespace (?namespace= in CHANNEL_BROKER) if another program uses the channel.`,
  LONA_WARN_EVENT_LOOP_BLOCKED: (p) =>
    `${s(p.view)}.${s(p.hook)} blocked the event loop for ${s(p.ms)} ms; move CPU-heavy work to runInThread().`,
  LONA_WARN_EVENT_LOOP_STALL: (p) =>
    `The event loop stalled for ${s(p.ms)} ms outside the hooks lona-ts times (code after an await, a timer, a library). Profile with node --cpu-prof; move CPU-heavy work to runInThread().`,
  LONA_WARN_VIEW_ZOMBIE: (p) =>
    `${s(p.view)} was stopped ${s(p.seconds)} s ago but its handleRequest has not returned. Pass view.signal to what it awaits, or check view.signal.aborted in its loops.`,
  LONA_WARN_CLIENT_NOT_BUILT: (p) =>
    `The browser client bundle is missing (${s(p.path)}): interactive pages will stay blank. Run npm run build:client (npm install does it through the prepare script).`,
  LONA_WARN_STATIC_FILE_MISSING: (p) => `Static file '${s(p.path)}' was not found.`,
  LONA_WARN_AWAIT_SKIPPED: (p) =>
    `${s(p.view)}: a node handler consumed a ${s(p.event)} event that a pending await was waiting for. Return the event from the handler's node handleInputEvent to pass it on, or await a different node.`,
  LONA_WARN_HOOK_THREW: (p) => `${s(p.hook)} threw: ${s(p.reason)}`,
  LONA_WARN_HOOK_TIMEOUT: (p) =>
    `${s(p.hook)} did not settle within ${s(p.ms)} ms (VIEW_HOOK_TIMEOUT_MS); lona-ts stopped waiting for it.`,
} satisfies Record<string, Template>;

export type ErrorCode = keyof typeof ERRORS;
export type WarningCode = keyof typeof WARNINGS;

/** An error lona-ts raises on purpose; `code` is stable and documented in docs/errors.md. */
export class LonaError extends Error {
  readonly code: ErrorCode;
  readonly params: Params;

  constructor(code: ErrorCode, params: Params = {}, options?: { cause?: unknown }) {
    super(ERRORS[code](params), options);
    this.name = 'LonaError';
    this.code = code;
    this.params = params;
  }
}

/** Formats a warning line: `LONA_WARN_X: message`. The logger decides where it goes. */
export function formatWarning(code: WarningCode, params: Params = {}): string {
  return `${code}: ${WARNINGS[code](params)}`;
}

// ---------------------------------------------------------------------------
// Errors user code throws to choose an error view, and the reasons a view stops.

/** Throw from a view or middleware to answer with the 403 view. */
export class ForbiddenError extends Error {
  readonly code = 'LONA_FORBIDDEN';
  readonly status = 403;
  constructor(message = 'Forbidden') {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** Throw from a view or middleware to answer with the 404 view. */
export class NotFoundError extends Error {
  readonly code = 'LONA_NOT_FOUND';
  readonly status = 404;
  constructor(message = 'Not Found') {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Stop reason: the tab went away (closed, reloaded, navigated, reconnected). */
export class UserAbort extends Error {
  readonly code = 'LONA_USER_ABORT';
  constructor(message = 'The view was stopped because its tab went away.') {
    super(message);
    this.name = 'UserAbort';
  }
}

/** Stop reason: the server is shutting down or restarting. */
export class ServerStop extends Error {
  readonly code = 'LONA_SERVER_STOP';
  constructor(message = 'The view was stopped because the server is shutting down.') {
    super(message);
    this.name = 'ServerStop';
  }
}

/** Rejects an await that was given `timeoutMs`. */
export class TimeoutError extends Error {
  readonly code = 'LONA_TIMEOUT';
  constructor(message = 'The await timed out.') {
    super(message);
    this.name = 'TimeoutError';
  }
}
