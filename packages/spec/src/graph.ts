/**
 * The operation graph: a compiled capability with every reference resolved. The executor and
 * the adapters work from this, never from YAML. All objects are frozen after compilation.
 */
import type { ConsumedAuth } from './consumed-auth.js';

import type { ResiliencePolicy } from './resilience-policy.js';

/** Where a node was declared, for runtime messages and logs. */
export interface Origin {
  file: string;
  line: number;
  column: number;
}

/** HTTP methods the spec allows. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Where a consumed parameter goes in the outgoing request. */
export type ConsumedLocation = 'query' | 'header' | 'path' | 'cookie' | 'body' | 'environment';

/** Where an exposed parameter is read from in the incoming request. */
export type ExposedLocation = 'query' | 'header' | 'path' | 'cookie' | 'body' | 'environment';

/** Formats an upstream answer can be converted from; `text` (Capstan's, for formats outside the official list) passes the body through as a string. */
/** How an upstream answer is read; `binary` passes the bytes through untouched (beta5). */
export type OutputFormat = 'json' | 'xml' | 'avro' | 'protobuf' | 'csv' | 'tsv' | 'psv' | 'yaml' | 'html' | 'markdown' | 'text' | 'binary';

/** Authentication, on a consumed API (outgoing) or an exposed adapter (incoming). Values may hold `{{VAR}}` templates. */
export type AuthSpec =
  | { type: 'basic'; username?: string; password?: string }
  | { type: 'digest'; username?: string; password?: string }
  | { type: 'bearer'; token?: string }
  | { type: 'apikey'; key?: string; value?: string; placement?: 'header' | 'query' }
  | {
      type: 'oauth2';
      authorizationServerUri: string;
      resource: string;
      scopes?: string[];
      audience?: string;
      tokenEndpoint?: string;
      tokenValidation?: 'jwks' | 'introspection';
      /** Capstan extension, consumed side: the client of the client-credentials / refresh-token grant. */
      'x-capstan-clientId'?: string;
      'x-capstan-clientSecret'?: string;
      'x-capstan-refreshToken'?: string;
    };

/** A bind: variables read from the environment (no location) or a file. */
export interface BindNode {
  namespace: string;
  /** `file:` URI, or undefined for the process environment. */
  location?: string;
  /** Folder the location is resolved against (the capability file's folder). */
  baseDir: string;
  /** Variable name → provider key. */
  keys: Readonly<Record<string, string>>;
  scope: 'root' | 'capability';
  origin: Origin;
}

/** A parameter of a consumed operation (adapter, resource or operation level, merged). */
export interface ConsumedParam {
  name: string;
  in: ConsumedLocation;
  /** Mustache template for the value; absent means "take the input of the same name". */
  value?: string;
  /** De-facto documentation fields some files carry. */
  type?: string;
  required?: boolean;
  description?: string;
  /** The values the upstream accepts (`x-capstan-enum`); inputs that feed this parameter inherit them. */
  enum?: readonly EnumValue[];
}

/** One allowed value of an input (`x-capstan-enum`, a Capstan extension). */
export type EnumValue = string | number | boolean;

/** Request body declaration of a consumed operation. */
export type RequestBodySpec =
  | { kind: 'raw'; template: string }
  | { kind: 'json'; data: unknown }
  | { kind: 'text' | 'xml' | 'sparql'; data: string }
  | { kind: 'formUrlEncoded'; data: string | Readonly<Record<string, string>> }
  | { kind: 'multipartForm'; parts: ReadonlyArray<{ name: string; value: string; filename?: string; contentType?: string }> };

/** A named output of a consumed operation (`value` is a JSONPath on the converted answer). */
export interface ConsumedOutput {
  name: string;
  type: string;
  mapping: string;
}

/** An output parameter on the exposed side (mapped, mock or orchestrated), kept in spec shape. */
export interface OutputParam {
  name?: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  /** JSONPath on the converted upstream answer (or on the current element inside `items`). */
  mapping?: string;
  /** Static or Mustache value. */
  value?: string;
  properties?: Readonly<Record<string, OutputParam>>;
  items?: OutputParam | readonly OutputParam[];
  /** Maps each entry of the object found at `mapping` with this output spec. */
  values?: OutputParam;
  maxLength?: number;
  description?: string;
}

/** A consumed HTTP API and its operations. */
export interface ConsumedApi {
  namespace: string;
  /** Normalised: no trailing slash. May hold `{{VAR}}` (binds) and `{x}` (parameters) placeholders. */
  baseUri: string;
  description?: string;
  auth?: ConsumedAuth;
  /** Parameters applied to every operation. */
  inputParameters: readonly ConsumedParam[];
  /** Operations by name (first declaration wins, as the engine). */
  operations: ReadonlyMap<string, ConsumedOperation>;
  /** The API's resilience policy, cascaded over the capability's (used by `forward` and the rate limiter). */
  resiliency?: ResiliencePolicy;
  /** beta5 `tunnel`: connections to this API are dialled through an overlay network. */
  tunnel?: ConsumedTunnel;
  origin: Origin;
}

/** A consumed API's tunnel (beta5): the overlay `type`, the `service` dialled, the identity template, and what to do when it cannot open. */
export interface ConsumedTunnel {
  type: string;
  service: string;
  /** A template rendered from binds at start-up (a secret). */
  identity: string;
  /** `fail`: start-up stops; `direct`: the base URI is called directly. */
  fallback: 'fail' | 'direct';
  origin: Origin;
}

/** One callable upstream operation: `namespace.name`. */
export interface ConsumedOperation {
  namespace: string;
  name: string;
  /** `namespace.name`. */
  ref: string;
  method: HttpMethod;
  resourceName: string;
  /** Resource path template, e.g. `/ships/{{imo}}`. */
  path: string;
  /** Placeholder names in `path` (`{x}` and `{{x}}`), in order. */
  pathPlaceholders: readonly string[];
  label?: string;
  description?: string;
  /** Resource-level then operation-level parameters; an operation parameter replaces a resource one with the same name and location. */
  params: readonly ConsumedParam[];
  body?: RequestBodySpec;
  /** Sends a body but declares none: the caller's JSON body is forwarded (see implicit-body.ts). */
  forwardsBody?: boolean;
  outputRawFormat: OutputFormat;
  outputSchema?: string;
  /** beta5 `outputMediaType`: the media type the answer is advertised with, over the upstream's `Content-Type`. */
  outputMediaType?: string;
  /** beta5 `maxBinarySize` in bytes: the largest binary answer read (over the adapter's). */
  maxBinaryBytes?: number;
  outputParameters: readonly ConsumedOutput[];
  /** Operation → resource → API → capability policy, cascaded. */
  resiliency?: ResiliencePolicy;
  origin: Origin;
}

/**
 * One `with` entry, resolved at compile time: a caller input (`<namespace>.x`, also the de-facto
 * `rest.x`/`tools.x`), a Mustache template rendered against the parameter map, or a literal.
 * An input that the caller did not send leaves the key untouched (engine behaviour).
 */
export type WithValue =
  | { from: 'input'; name: string }
  | { from: 'template'; template: string }
  | { from: 'literal'; value: number | boolean };

/** `with`: values injected into the parameter map before a call. */
export type WithMap = Readonly<Record<string, WithValue>>;

/** An input parameter of an exposed REST operation or resource. */
export interface ExposedParam {
  name: string;
  in: ExposedLocation;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  description?: string;
  /** Static value, or a `$` JSONPath on the request body. */
  value?: string;
  pattern?: string;
  /** The only values accepted (a 400 otherwise): declared, or inherited from the consumed parameter fed. */
  enum?: readonly EnumValue[];
  required: boolean;
  /** The request body as received (JSON text, not re-encoded): the implicit forwarded body. */
  raw?: boolean;
}

/** An input parameter of an MCP tool or aggregate function. */
export interface ToolParam {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  description?: string;
  /** The only values accepted (a tool error otherwise): declared, or inherited from the consumed parameter fed. */
  enum?: readonly EnumValue[];
  required: boolean;
}

/** A step of an orchestrated operation. */
export type StepNode =
  | { kind: 'call'; name: string; operation: ConsumedOperation; with: WithMap; origin: Origin }
  | { kind: 'lookup'; name: string; index: string; match: string; lookupValue: string; outputParameters: readonly string[]; origin: Origin }
  | { kind: 'script'; name: string; file: string; language?: string; location?: string; dependencies: readonly string[]; with: WithMap; origin: Origin };

/** A mapping of an orchestrated operation: JSONPath over step outputs into a (dotted) target. */
export interface StepMapping {
  targetName: string;
  value: string;
}

/** What running an exposed unit means. */
export type Handler =
  | { kind: 'call'; operation: ConsumedOperation; with: WithMap; outputs: readonly OutputParam[] }
  | { kind: 'steps'; steps: readonly StepNode[]; mappings: readonly StepMapping[]; with: WithMap; outputs: readonly OutputParam[] }
  | { kind: 'ref'; fn: AggregateFunctionNode; with: WithMap }
  | { kind: 'mock'; with: WithMap; outputs: readonly OutputParam[] };

/** Aggregate semantics, mapped to MCP hints. */
export interface Semantics {
  safe?: boolean;
  idempotent?: boolean;
  cacheable?: boolean;
}

/** MCP tool hints. */
export interface ToolHints {
  readOnly?: boolean;
  destructive?: boolean;
  idempotent?: boolean;
  openWorld?: boolean;
}

/** A reusable function of an aggregate, referenced as `namespace.name`. */
export interface AggregateFunctionNode {
  namespace: string;
  name: string;
  ref: string;
  description: string;
  semantics?: Semantics;
  inputParameters: readonly ToolParam[];
  /** Never `ref`. */
  handler: Exclude<Handler, { kind: 'ref' }>;
  origin: Origin;
}

/** An operation of an exposed REST resource. */
export interface RestOperationNode {
  method: HttpMethod;
  name?: string;
  label?: string;
  description?: string;
  inputParameters: readonly ExposedParam[];
  handler: Handler;
  /** The `Cache-Control` value sent with 2xx answers (ikanos#486 `cacheControl`, or derived from `semantics.cacheable`). */
  cacheControl?: string;
  /** beta5 `responseBinary.mediaType` (or a 2xx `responses` media type with `binary: true`): the type of a binary answer. */
  binaryMediaType?: string;
  origin: Origin;
}

/** A resource of a REST adapter. */
export interface RestResourceNode {
  path: string;
  /** Placeholder names of `path`. */
  pathPlaceholders: readonly string[];
  name?: string;
  label?: string;
  description?: string;
  inputParameters: readonly ExposedParam[];
  operations: readonly RestOperationNode[];
  forward?: { target: ConsumedApi; trustedHeaders: readonly string[] };
  origin: Origin;
}

/** An MCP tool. */
export interface McpToolNode {
  name: string;
  label?: string;
  description: string;
  inputParameters: readonly ToolParam[];
  hints: ToolHints;
  handler: Handler;
  origin: Origin;
}

/** An MCP resource: dynamic (a handler) or static (files under a folder). */
export interface McpResourceNode {
  name: string;
  label: string;
  uri: string;
  description: string;
  mimeType?: string;
  source: { kind: 'dynamic'; handler: Handler } | { kind: 'static'; directory: string };
  origin: Origin;
}

/** An MCP prompt: inline messages or a file. */
export interface McpPromptNode {
  name: string;
  label: string;
  description: string;
  arguments: ReadonlyArray<{ name: string; label?: string; description: string; required: boolean }>;
  source: { kind: 'inline'; messages: ReadonlyArray<{ role: 'user' | 'assistant'; content: string }> } | { kind: 'file'; path: string };
  origin: Origin;
}

interface AdapterBase {
  namespace: string;
  address?: string;
  description?: string;
  auth?: AuthSpec;
  origin: Origin;
}

/** A per-client inbound rate limit (`x-capstan-rateLimit` on a REST or MCP adapter). */
export interface InboundRateLimitNode {
  /** Requests allowed per client per window. */
  max: number;
  /** Window length in ms. */
  timeWindowMs: number;
}

/** A REST adapter. */
export interface RestAdapterNode extends AdapterBase {
  type: 'rest';
  port: number;
  /** `x-capstan-rateLimit`: requests per client per window (ms). */
  rateLimit?: InboundRateLimitNode;
  /** beta5 `maxBinarySize` in bytes: the largest binary answer read for this adapter (an operation's own wins). */
  maxBinaryBytes?: number;
  resources: readonly RestResourceNode[];
}

/** An MCP adapter. */
/** Client caching hints (beta4+ `ttlMs`/`cacheScope`) added to list and read results. */
export interface McpCacheHints {
  /** Freshness in milliseconds; 0: always ask again. */
  ttlMs: number;
  cacheScope: 'public' | 'private';
}

export interface McpAdapterNode extends AdapterBase {
  type: 'mcp';
  transport: 'http' | 'stdio';
  port?: number;
  /** Present when the document declares `ttlMs` or `cacheScope`. */
  cacheHints?: McpCacheHints;
  /** beta5 `maxBinarySize` in bytes: the largest binary answer read for this adapter (an operation's own wins). */
  maxBinaryBytes?: number;
  /** `x-capstan-rateLimit`: requests per client per window (ms), on the HTTP transport. */
  rateLimit?: InboundRateLimitNode;
  tools: readonly McpToolNode[];
  resources: readonly McpResourceNode[];
  prompts: readonly McpPromptNode[];
}

/** A skill catalog adapter; its tools point at sibling adapters or instruction files. */
export interface SkillAdapterNode extends AdapterBase {
  type: 'skill';
  port: number;
  /** Skills in spec shape (validated), resolved by the skill adapter. */
  skills: readonly Readonly<Record<string, unknown>>[];
}

/** A control (management/observability) adapter, in spec shape. */
export interface ControlAdapterNode extends AdapterBase {
  type: 'control';
  port: number;
  spec: Readonly<Record<string, unknown>>;
}

/** Any exposed adapter. */
export type AdapterNode = RestAdapterNode | McpAdapterNode | SkillAdapterNode | ControlAdapterNode;

/** A compiled capability. */
export interface CapabilityGraph {
  file: string;
  specVersion: string;
  info: { label?: string; description?: string; tags: readonly string[] };
  binds: readonly BindNode[];
  consumes: ReadonlyMap<string, ConsumedApi>;
  adapters: readonly AdapterNode[];
  aggregates: ReadonlyMap<string, AggregateFunctionNode>;
}
