/**
 * The public entry of lona-ts: every name code outside this repository may import.
 * Grouped by area; everything else under src/ is internal.
 */

// App, settings, routing
export {
  App,
  type AppOptions,
  type RouteOptions,
  type RunOptions,
  type StartOptions,
} from './app.js';
export {
  DEFAULT_SETTINGS,
  type Settings,
  type SettingsInput,
  type SettingName,
} from './settings.js';
export { MATCH_ALL } from './routing/path-pattern.js';
export type { Route } from './routing/route.js';

// Views
export {
  View,
  type ViewClass,
  type AwaitEventOptions,
  type InputEventRootResult,
} from './view/view.js';
export { InputEvent } from './view/input-event.js';
export { Request, type FormData } from './view/request.js';
export type { StopReason } from './view/view-runtime.js';
export { Error403View, Error404View, Error500View, Error503View } from './view/error-views.js';

// Responses
export {
  FileResponse,
  HtmlResponse,
  HttpRedirectResponse,
  JsonResponse,
  RedirectResponse,
  Response,
  TemplateResponse,
  TemplateStringResponse,
  type FileResponseOptions,
  type ResponseOptions,
  type ViewResult,
} from './view/responses.js';

// Errors and stop reasons
export {
  ForbiddenError,
  LonaError,
  NotFoundError,
  ServerStop,
  TimeoutError,
  UserAbort,
  type ErrorCode,
  type WarningCode,
} from './errors.js';

// Channels
export type { Channel, ChannelHandler, SendOptions } from './channels/channel.js';
export type { ChannelMessage } from './channels/broker.js';

// Resources
export { runInThread, type RunInThreadOptions } from './resources/thread-pool.js';
export type { AppMetrics, PoolMetrics, ViewMetrics } from './resources/metrics.js';

// Static files (the declaration `Script` is exported as `ScriptFile`: `Script` is the HTML element)
export {
  SORT_ORDER,
  StaticFile,
  StyleSheet,
  Script as ScriptFile,
} from './server/static-declarations.js';

// Sessions
export { AnonymousUser } from './server/sessions.js';

// HTML nodes
export { Node } from './html/node.js';
export { HTML } from './html/fragment.js';
export { TextNode } from './html/text-node.js';
export { RawHtml } from './html/raw-html.js';
export { parseHtml } from './html/parse-html.js';
export { unsafeUrl, UnsafeUrl } from './html/url-safety.js';
export type { BaseNode } from './html/base-node.js';
export type { ParentNode } from './html/parent-node.js';
export type { NodeList, Child } from './html/node-list.js';
export type { AttributeMap } from './html/attribute-map.js';
export type { TokenList } from './html/token-list.js';
export type { StyleMap, StyleValue } from './html/style-map.js';
export type {
  EventDeclarations,
  EventDeclaration,
  EventOptions,
} from './html/event-declarations.js';
export type { NodeProps } from './html/node-props.js';
export type { NodeInputEvent, InputEventHandler } from './html/input-event.js';
export { Html, Head, Title, Base, Link, Meta, Style, Body } from './html/nodes/document.js';
export {
  Article,
  Section,
  Nav,
  Aside,
  H1,
  H2,
  H3,
  H4,
  H5,
  H6,
  HGroup,
  Header,
  Footer,
  Address,
} from './html/nodes/sections.js';
export {
  P,
  Hr,
  Pre,
  BlockQuote,
  Ol,
  Ul,
  Menu,
  Li,
  Dl,
  Dt,
  Dd,
  Figure,
  FigCaption,
  Main,
  Search,
  Div,
} from './html/nodes/grouping.js';
export * from './html/nodes/text-level.js';
export { A, type AProps } from './html/nodes/links.js';
export * from './html/nodes/embedded.js';
export * from './html/nodes/tables.js';
export { Details, Summary, Dialog } from './html/nodes/interactive.js';
export { Script, NoScript, Template, Slot, Canvas } from './html/nodes/scripting.js';
export * from './html/nodes/svg.js';

// Forms
export {
  Form,
  Label,
  Input,
  Button,
  Submit,
  DataList,
  OptGroup,
  Output,
  Progress,
  Meter,
  FieldSet,
  Legend,
} from './html/nodes/forms/elements.js';
export { InputNode, type InputNodeProps } from './html/nodes/forms/input-node.js';
export { TextInput, TextArea, type TextInputProps } from './html/nodes/forms/text-input.js';
export { NumberInput, type NumberInputProps } from './html/nodes/forms/number-input.js';
export { CheckBox, type CheckBoxProps } from './html/nodes/forms/check-box.js';
export { Select, Option, type SelectProps, type OptionProps } from './html/nodes/forms/select.js';
export {
  RadioGroup,
  RadioButton,
  type RadioGroupProps,
  type RadioButtonProps,
} from './html/nodes/forms/radio.js';
