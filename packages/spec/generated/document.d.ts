/* Generated from schemas/naftiko-1.0.0-alpha2.schema.json by packages/spec/scripts/generate-document-types.mjs; do not edit. */

/**
 * A Naftiko capability file. Either a capability document (`naftiko` + `capability`) or a shared consumes file (`naftiko` + root `consumes`), never both.
 */
export type NaftikoCapabilityDocument100Alpha2 = {
  /**
   * Spec version of this file: `1.0.0-alpha2` (or `1.0.0-alpha3`, same shape).
   */
  naftiko?: "1.0.0-alpha2" | "1.0.0-alpha3";
  /**
   * Name, description and metadata of the capability.
   */
  info?: Info;
  /**
   * Sources of `{{VARIABLE}}` values (secrets, settings) for the whole file.
   *
   * @minItems 1
   */
  binds?: [Binding, ...Binding[]];
  /**
   * What the capability exposes and consumes.
   */
  capability?: Capability;
  /**
   * Shared consumes file only: HTTP adapters other files import by namespace.
   *
   * @minItems 1
   */
  consumes?: [ConsumesAdapter, ...ConsumesAdapter[]];
} & (
  | {
      /**
       * Spec version of this file: `1.0.0-alpha2` (or `1.0.0-alpha3`, same shape).
       */
      naftiko: {
        [k: string]: unknown;
      };
      /**
       * What the capability exposes and consumes.
       */
      capability: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Spec version of this file: `1.0.0-alpha2` (or `1.0.0-alpha3`, same shape).
       */
      naftiko: {
        [k: string]: unknown;
      };
      /**
       * Shared consumes file only: HTTP adapters other files import by namespace.
       */
      consumes: {
        [k: string]: unknown;
      };
    }
);
/**
 * Who and what this capability is for: a display name, a description, tags, dates and stakeholders.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "Info".
 */
export type Info = (
  | {
      /**
       * Display name of the capability, e.g. `Shipyard Fleet`.
       */
      label: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Not part of the official schema (accepted with a warning): display name; official spelling is `label`.
       */
      title: {
        [k: string]: unknown;
      };
    }
) &
  (
    | {
        /**
         * What the capability offers; agents read it to decide when to use it. Required by the official schema.
         */
        description: {
          [k: string]: unknown;
        };
      }
    | {
        [k: string]: unknown;
      }
  ) & {
    /**
     * Display name of the capability, e.g. `Shipyard Fleet`.
     */
    label?: string;
    /**
     * What the capability offers; agents read it to decide when to use it. Required by the official schema.
     */
    description?: string;
    /**
     * Keywords for search and grouping, e.g. `[maritime, fleet]`.
     */
    tags?: string[];
    /**
     * Creation date, `YYYY-MM-DD`.
     */
    created?: IsoDate;
    /**
     * Last change date, `YYYY-MM-DD`.
     */
    modified?: IsoDate;
    /**
     * People involved with the capability.
     */
    stakeholders?: Person[];
    /**
     * Not part of the official schema (accepted with a warning): display name; official spelling is `label`.
     */
    title?: string;
  };
/**
 * Calendar date `YYYY-MM-DD`, e.g. `2026-04-30`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "IsoDate".
 */
export type IsoDate = string;
/**
 * Identifier made of letters, digits and hyphens only, e.g. `get-ship`. Used for namespaces and for names of resources, operations, tools and steps.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "IdentifierKebab".
 */
export type IdentifierKebab = string;
/**
 * Any URI with a scheme, e.g. `file:///./secrets.yaml` or `vault://team/app`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "UriLocation".
 */
export type UriLocation = string;
/**
 * Identifier made of letters, digits, `-`, `_` and `*`, e.g. `imo_number`. Used for parameter names and provider keys.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "IdentifierExtended".
 */
export type IdentifierExtended = string;
/**
 * The runnable part of the document: what is exposed, which upstream APIs are consumed, shared aggregates and bindings. Needs `exposes` or `consumes` (or both).
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "Capability".
 */
export type Capability = Capability1 & {
  /**
   * Variable sources scoped to this capability.
   *
   * @minItems 1
   */
  binds?: [Binding, ...Binding[]];
  /**
   * Servers this capability runs: `rest`, `mcp`, `skill` or `control` adapters.
   *
   * @minItems 1
   */
  exposes?: [ExposesAdapter, ...ExposesAdapter[]];
  /**
   * Upstream HTTP APIs this capability calls, declared inline or imported from another file.
   *
   * @minItems 1
   */
  consumes?: [ConsumesAdapter, ...ConsumesAdapter[]];
  /**
   * Reusable functions that REST operations and MCP tools can reference with `ref`.
   *
   * @minItems 1
   */
  aggregates?: [Aggregate, ...Aggregate[]];
  /**
   * Resilience policies (Capstan extension, naftiko/ikanos#384 shape).
   */
  resiliency?: Resiliency;
};
export type Capability1 =
  | {
      /**
       * Servers this capability runs: `rest`, `mcp`, `skill` or `control` adapters.
       */
      exposes: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Upstream HTTP APIs this capability calls, declared inline or imported from another file.
       */
      consumes: {
        [k: string]: unknown;
      };
    };
/**
 * An entry of `exposes`; `type` selects rest, mcp, skill or control.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ExposesAdapter".
 */
export type ExposesAdapter = ExposesRest | ExposesMcp | ExposesSkill | ExposesControl;
/**
 * Interface a server listens on: host name, IPv4 or IPv6 address. Use `0.0.0.0` to listen on every interface.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "Address".
 */
export type Address = Hostname | IPv4 | IPv6;
/**
 * A DNS host name such as `localhost` or `api.example.com`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "Hostname".
 */
export type Hostname = string;
/**
 * A dotted IPv4 address such as `0.0.0.0` or `127.0.0.1`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "IPv4".
 */
export type IPv4 = string;
/**
 * An IPv6 address such as `::1`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "IPv6".
 */
export type IPv6 = string;
/**
 * TCP port number, 1-65535.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "Port".
 */
export type Port = number;
/**
 * Credentials: sent upstream on `consumes`, demanded from callers on `exposes`. `type` selects basic, apikey, bearer, digest or oauth2.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "Authentication".
 */
export type Authentication = AuthBasic | AuthApiKey | AuthBearer | AuthDigest | AuthOAuth2;
/**
 * A path served by a REST adapter, with `operations` (one per HTTP method) and/or a `forward` proxy. Example: `{path: /ships/{imo}, operations: [...]}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ExposedResource".
 */
export type ExposedResource = ExposedResource1 & {
  /**
   * URL path; `{name}` or `{{name}}` marks a path parameter, e.g. `/ships/{imo}`.
   */
  path: string;
  /**
   * Technical name; used as the OpenAPI tag.
   */
  name?: IdentifierKebab;
  /**
   * Display name.
   */
  label?: string;
  /**
   * What the resource represents.
   */
  description?: string;
  /**
   * Inputs shared by all operations of this path.
   */
  inputParameters?: ExposedInputParameter[];
  /**
   * HTTP methods served on this path.
   */
  operations?: ExposedOperation[];
  /**
   * Relays requests on this path to a consumed adapter unchanged.
   */
  forward?: ForwardConfig;
};
export type ExposedResource1 =
  | {
      /**
       * HTTP methods served on this path.
       */
      operations: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Relays requests on this path to a consumed adapter unchanged.
       */
      forward: {
        [k: string]: unknown;
      };
    };
/**
 * An input accepted by an exposed REST resource or operation. Example: `{name: imo, in: path, type: string, description: IMO number of the ship}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ExposedInputParameter".
 */
export type ExposedInputParameter = ExposedInputParameter1 & {
  /**
   * Parameter name; reference it in `with` or templates as `{{name}}`.
   */
  name: IdentifierExtended;
  /**
   * Where the caller supplies it.
   */
  in: "query" | "header" | "path" | "cookie" | "body";
  /**
   * Data type of the value.
   */
  type: "string" | "number" | "integer" | "boolean" | "array" | "object";
  /**
   * What the parameter means; shown to API users and agents. Required by the official schema.
   */
  description?: string;
  /**
   * Regular expression the value should match, e.g. `^[0-9]{7}$`.
   */
  pattern?: string;
  /**
   * Fixed or templated value used for this parameter.
   */
  value?: string;
  /**
   * Not part of the official schema (accepted with a warning): callers must send this input; a REST input is otherwise required only when it is a path placeholder or feeds a consumed parameter marked `required: true`.
   */
  required?: boolean;
  /**
   * Capstan extension: the only values this input accepts, e.g. `[GET, POST, PUT]`. Any other value is refused before an upstream call (REST: 400 problem+json; MCP: a tool error); OpenAPI and tool input schemas list them as `enum`. On a consumed parameter, the REST and tool inputs that feed it inherit the list.
   *
   * @minItems 1
   */
  "x-capstan-enum"?: [string | number | boolean, ...(string | number | boolean)[]];
};
export type ExposedInputParameter1 =
  | {
      /**
       * What the parameter means; shown to API users and agents. Required by the official schema.
       */
      description: {
        [k: string]: unknown;
      };
    }
  | {
      [k: string]: unknown;
    };
/**
 * One HTTP method on an exposed path. Call one consumed operation (`call`), run `steps` (needs `name`), reuse an aggregate function (`ref`), or return fixed outputs.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ExposedOperation".
 */
export type ExposedOperation = ExposedOperation1 & {
  /**
   * HTTP method, e.g. `GET`. Default `GET`.
   */
  method: HttpMethod;
  /**
   * Technical name; required with `steps`.
   */
  name?: IdentifierKebab;
  /**
   * Display name.
   */
  label?: string;
  /**
   * What the operation does.
   */
  description?: string;
  /**
   * Inputs of this operation.
   */
  inputParameters?: ExposedInputParameter[];
  /**
   * Aggregate function to reuse, as `<aggregate-namespace>.<function>`.
   */
  ref?: OperationReference;
  /**
   * Consumed operation to call, as `<namespace>.<operation>`, e.g. `registry.list-ships`.
   */
  call?: OperationReference;
  /**
   * Values passed to the called operation's parameters.
   */
  with?: WithInjector;
  /**
   * Outputs: mapped parameters in simple mode, named ones with `steps`.
   */
  outputParameters?: unknown[];
  /**
   * Ordered steps for orchestrated mode.
   *
   * @minItems 1
   */
  steps?: [OperationStep, ...OperationStep[]];
  /**
   * How step results fill the outputs (orchestrated mode).
   */
  mappings?: StepOutputMapping[];
  /**
   * `Cache-Control` of 2xx answers (naftiko/ikanos#486 shape).
   */
  cacheControl?: CacheControl;
};
export type ExposedOperation1 =
  | {
      /**
       * Outputs mapped from the response.
       */
      outputParameters?: MappedOutputParameter[];
    }
  | {
      /**
       * Step results mapped to outputs.
       */
      mappings?: {
        [k: string]: unknown;
      };
      /**
       * Named outputs filled by `mappings`.
       */
      outputParameters?: OrchestratedOutputParameter[];
      /**
       * Ordered steps for orchestrated mode.
       */
      steps: {
        [k: string]: unknown;
      };
      /**
       * Technical name; required with `steps`.
       */
      name: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Aggregate function to reuse, as `<aggregate-namespace>.<function>`.
       */
      ref: {
        [k: string]: unknown;
      };
    };
/**
 * An output of a simple-mode (`call`) operation or tool, read from the upstream response with JSONPath. The `type` field selects the variant; no `name` is allowed here (object fields are named by their key under `properties`).
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "MappedOutputParameter".
 */
export type MappedOutputParameter =
  | MappedOutputParameterString
  | MappedOutputParameterNumber
  | MappedOutputParameterBoolean
  | MappedOutputParameterObject
  | MappedOutputParameterArray
  | MappedOutputParameterObjectPassthrough
  | MappedOutputParameterArrayPassthrough;
/**
 * A text output: give either `mapping` (JSONPath) or `value` (static/template), not both. Example: `{type: string, mapping: $.name}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "MappedOutputParameterString".
 */
export type MappedOutputParameterString = MappedOutputParameterBase & {
  /**
   * Selects the string form of a mapped output.
   */
  type: "string";
  /**
   * JSONPath into the upstream response, e.g. `$.name`.
   */
  mapping?: {
    [k: string]: unknown;
  };
  /**
   * Informational constant for docs and linters, ignored at run time.
   */
  const?: {
    [k: string]: unknown;
  };
  /**
   * Static or `{{...}}` templated value used instead of a mapping.
   */
  value?: {
    [k: string]: unknown;
  };
} & MappedOutputParameterString1;
export type MappedOutputParameterString1 =
  | {
      /**
       * JSONPath into the upstream response, e.g. `$.name`.
       */
      mapping: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Static or `{{...}}` templated value used instead of a mapping.
       */
      value: {
        [k: string]: unknown;
      };
    };
/**
 * A numeric output: give either `mapping` (JSONPath) or `value` (static/template), not both. Example: `{type: number, mapping: $.length}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "MappedOutputParameterNumber".
 */
export type MappedOutputParameterNumber = MappedOutputParameterBase & {
  /**
   * Selects the number form of a mapped output.
   */
  type: "number";
  /**
   * JSONPath into the upstream response, e.g. `$.name`.
   */
  mapping?: {
    [k: string]: unknown;
  };
  /**
   * Informational constant for docs and linters, ignored at run time.
   */
  const?: {
    [k: string]: unknown;
  };
  /**
   * Static or `{{...}}` templated value used instead of a mapping.
   */
  value?: {
    [k: string]: unknown;
  };
} & MappedOutputParameterNumber1;
export type MappedOutputParameterNumber1 =
  | {
      /**
       * JSONPath into the upstream response, e.g. `$.name`.
       */
      mapping: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Static or `{{...}}` templated value used instead of a mapping.
       */
      value: {
        [k: string]: unknown;
      };
    };
/**
 * A true/false output: give either `mapping` (JSONPath) or `value` (static/template), not both. Example: `{type: boolean, mapping: $.active}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "MappedOutputParameterBoolean".
 */
export type MappedOutputParameterBoolean = MappedOutputParameterBase & {
  /**
   * Selects the boolean form of a mapped output.
   */
  type: "boolean";
  /**
   * JSONPath into the upstream response, e.g. `$.name`.
   */
  mapping?: {
    [k: string]: unknown;
  };
  /**
   * Informational constant for docs and linters, ignored at run time.
   */
  const?: {
    [k: string]: unknown;
  };
  /**
   * Static or `{{...}}` templated value used instead of a mapping.
   */
  value?: {
    [k: string]: unknown;
  };
} & MappedOutputParameterBoolean1;
export type MappedOutputParameterBoolean1 =
  | {
      /**
       * JSONPath into the upstream response, e.g. `$.name`.
       */
      mapping: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Static or `{{...}}` templated value used instead of a mapping.
       */
      value: {
        [k: string]: unknown;
      };
    };
/**
 * An object output built field by field; `properties` maps each field name to its own mapped output. Example: `{type: object, mapping: $.ship, properties: {name: {type: string, mapping: $.name}}}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "MappedOutputParameterObject".
 */
export type MappedOutputParameterObject = MappedOutputParameterBase & {
  /**
   * Selects the object form of a mapped output.
   */
  type: "object";
  /**
   * Optional JSONPath selecting the object the field mappings are read from.
   */
  mapping?: {
    [k: string]: unknown;
  };
  /**
   * Informational constant for docs and linters, ignored at run time.
   */
  const?: {
    [k: string]: unknown;
  };
  /**
   * Static or `{{...}}` templated value used instead of a mapping.
   */
  value?: {
    [k: string]: unknown;
  };
  /**
   * Fields of the output object, each a mapped output parameter (`name: {type, mapping}`).
   */
  properties: {
    [k: string]: MappedOutputParameter;
  };
};
/**
 * An array output; `items` describes one element, mapped relative to each element. Example: `{type: array, mapping: $.ships, items: {type: string, mapping: $.name}}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "MappedOutputParameterArray".
 */
export type MappedOutputParameterArray = MappedOutputParameterBase & {
  /**
   * Selects the array form of a mapped output.
   */
  type: "array";
  /**
   * JSONPath selecting the source array, e.g. `$.data[*]`.
   */
  mapping?: {
    [k: string]: unknown;
  };
  /**
   * Informational constant for docs and linters, ignored at run time.
   */
  const?: {
    [k: string]: unknown;
  };
  /**
   * Static or `{{...}}` templated value used instead of a mapping.
   */
  value?: {
    [k: string]: unknown;
  };
  /**
   * Shape of each element, mapped relative to that element.
   */
  items: MappedOutputParameter;
};
/**
 * Not in the official schema (accepted with a warning): `type: object` with a `mapping` and no `properties` returns the selected node whole, e.g. `{type: object, mapping: $.}`. Official form: list the fields under `properties`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "MappedOutputParameterObjectPassthrough".
 */
export type MappedOutputParameterObjectPassthrough = MappedOutputParameterBase & {
  /**
   * Object output passed through unchanged.
   */
  type: "object";
  /**
   * JSONPath of the node to return whole, e.g. `$.` or `$.data`.
   */
  mapping: {
    [k: string]: unknown;
  };
  /**
   * Informational constant for docs and linters, ignored at run time.
   */
  const?: {
    [k: string]: unknown;
  };
  /**
   * Static or templated value used instead of a mapping.
   */
  value?: {
    [k: string]: unknown;
  };
};
/**
 * Not in the official schema (accepted with a warning): `type: array` with a `mapping` and no `items` returns the selected array whole, e.g. `{type: array, mapping: $.results}`. Official form: describe the elements under `items`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "MappedOutputParameterArrayPassthrough".
 */
export type MappedOutputParameterArrayPassthrough = MappedOutputParameterBase & {
  /**
   * Array output passed through unchanged.
   */
  type: "array";
  /**
   * JSONPath of the array to return whole, e.g. `$.results`.
   */
  mapping: {
    [k: string]: unknown;
  };
  /**
   * Informational constant for docs and linters, ignored at run time.
   */
  const?: {
    [k: string]: unknown;
  };
  /**
   * Static or templated value used instead of a mapping.
   */
  value?: {
    [k: string]: unknown;
  };
};
/**
 * Declares an output of an orchestrated (`steps`) operation or tool. The `type` selects scalar, array or object.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "OrchestratedOutputParameter".
 */
export type OrchestratedOutputParameter =
  OrchestratedOutputParameterScalar | OrchestratedOutputParameterArray | OrchestratedOutputParameterObject;
/**
 * A scalar output field of an orchestrated operation or tool. Example: `{name: ship-name, type: string}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "OrchestratedOutputParameterScalar".
 */
export type OrchestratedOutputParameterScalar = OrchestratedOutputParameterBase & {
  /**
   * Scalar type of the field.
   */
  type: "string" | "number" | "boolean";
  /**
   * Name of the output field.
   */
  name?: {
    [k: string]: unknown;
  };
};
/**
 * An array output field of an orchestrated operation or tool; `items` is a list describing the element fields. Example: `{name: crew, type: array, items: [{name: role, type: string}]}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "OrchestratedOutputParameterArray".
 */
export type OrchestratedOutputParameterArray = OrchestratedOutputParameterBase & {
  /**
   * Array field.
   */
  type: "array";
  /**
   * Name of the output field.
   */
  name?: {
    [k: string]: unknown;
  };
  /**
   * Element description, written as a list of at least one orchestrated output parameter.
   *
   * @minItems 1
   */
  items: [OrchestratedOutputParameter, ...OrchestratedOutputParameter[]];
};
/**
 * An object output field of an orchestrated operation or tool, with named sub-fields under `properties`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "OrchestratedOutputParameterObject".
 */
export type OrchestratedOutputParameterObject = OrchestratedOutputParameterBase & {
  /**
   * Object field.
   */
  type: "object";
  /**
   * Name of the output field.
   */
  name?: {
    [k: string]: unknown;
  };
  /**
   * Sub-fields of the object, keyed by field name.
   */
  properties: {
    [k: string]: OrchestratedOutputParameter;
  };
};
/**
 * An HTTP method.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "HttpMethod".
 */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
/**
 * Reference of the form `<namespace>.<name>`, e.g. `registry.get-ship`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "OperationReference".
 */
export type OperationReference = string;
/**
 * One step of an orchestrated operation or tool; `type` selects call, lookup or script.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "OperationStep".
 */
export type OperationStep = OperationStepCall | OperationStepLookup | OperationStepScript;
/**
 * Calls a consumed operation. Example: `{type: call, name: get-ship, call: registry.get-ship, with: {imo: "{{imo}}"}}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "OperationStepCall".
 */
export type OperationStepCall = OperationStepBase & {
  /**
   * Call step.
   */
  type: "call";
  /**
   * Step name.
   */
  name?: {
    [k: string]: unknown;
  };
  /**
   * Consumed operation, as `<namespace>.<operation>`.
   */
  call: OperationReference;
  /**
   * Values for the operation's parameters; may use inputs and earlier step results.
   */
  with?: WithInjector;
};
/**
 * Finds entries in an earlier step's result by a key field and keeps some of their fields. Example: `{type: lookup, name: find-owner, index: list-owners, match: id, lookupValue: $.get-ship.ownerId, outputParameters: [name]}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "OperationStepLookup".
 */
export type OperationStepLookup = OperationStepBase & {
  /**
   * Lookup step.
   */
  type: "lookup";
  /**
   * Step name.
   */
  name?: {
    [k: string]: unknown;
  };
  /**
   * Name of an earlier step whose result (a list of objects) is searched.
   */
  index: IdentifierKebab;
  /**
   * Field of those objects compared with `lookupValue`.
   */
  match: IdentifierKebab;
  /**
   * JSONPath giving the value(s) to find, e.g. `$.get-ship.ownerId`.
   */
  lookupValue: string;
  /**
   * Fields to keep from matching entries (at least one).
   *
   * @minItems 1
   */
  outputParameters: [string, ...string[]];
};
/**
 * Runs a script file; the script sets `result`. Example: `{type: script, name: score, file: score.js, language: javascript}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "OperationStepScript".
 */
export type OperationStepScript = OperationStepBase & {
  /**
   * Script step.
   */
  type: "script";
  /**
   * Step name.
   */
  name?: {
    [k: string]: unknown;
  };
  /**
   * Script language; defaults to the control port's `scripting.defaultLanguage`.
   */
  language?: "javascript" | "python" | "groovy";
  /**
   * Scripts folder; defaults to the control port's `scripting.defaultLocation`.
   */
  location?: FileUri;
  /**
   * Main script path inside `location`, e.g. `score.js`.
   */
  file: string;
  /**
   * Helper scripts inside `location`, run first in order.
   *
   * @minItems 1
   */
  dependencies?: [string, ...string[]];
  /**
   * Values made available to the script.
   */
  with?: WithInjector;
};
/**
 * A `file:///` URI, e.g. `file:///opt/skills/fleet`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "FileUri".
 */
export type FileUri = string;
/**
 * Serves an MCP server over Streamable HTTP (default; needs `port`) or stdio (`transport: stdio`, no `port`). Example: `{type: mcp, port: 3001, namespace: shipyard-tools, tools: [...]}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ExposesMcp".
 */
export type ExposesMcp = {
  /**
   * Adapter kind.
   */
  type: "mcp";
  /**
   * `http` (default) listens on `port`; `stdio` talks over standard input and output.
   */
  transport?: "http" | "stdio";
  /**
   * Interface to listen on (http only). Default `localhost`.
   */
  address?: Address;
  /**
   * TCP port (http only), e.g. `3001`.
   */
  port?: Port;
  /**
   * Unique name of this adapter; also the MCP server name.
   */
  namespace: IdentifierKebab;
  /**
   * Guidance for agents about this server; sent as the MCP `instructions`.
   */
  description?: string;
  /**
   * Credentials callers must present (http only).
   */
  authentication?: Authentication;
  /**
   * Tools offered (at least one).
   *
   * @minItems 1
   */
  tools: [McpTool, ...McpTool[]];
  /**
   * Readable resources offered.
   *
   * @minItems 1
   */
  resources?: [McpResource, ...McpResource[]];
  /**
   * Prompt templates offered.
   *
   * @minItems 1
   */
  prompts?: [McpPrompt, ...McpPrompt[]];
  /**
   * Per-client inbound rate limit (Capstan extension).
   */
  "x-capstan-rateLimit"?: InboundRateLimit;
} & ExposesMcp1;
/**
 * An MCP tool. Modes: `call` one consumed operation, run `steps`, reuse an aggregate function with `ref`, or return fixed `outputParameters` (mock). Except with `ref`, `name` and `description` are required.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "McpTool".
 */
export type McpTool = McpTool1 & {
  /**
   * Tool name seen by MCP clients, e.g. `get-ship`. Keep it under 64 characters.
   */
  name?: IdentifierKebab;
  /**
   * Human-friendly title shown by clients.
   */
  label?: string;
  /**
   * Purpose of the tool and when an agent should pick it; shown to the model.
   */
  description?: string;
  /**
   * Arguments of the tool; they form its MCP input schema.
   */
  inputParameters?: McpToolInputParameter[];
  /**
   * Aggregate function to reuse, as `<aggregate-namespace>.<function>`; fields set here override it.
   */
  ref?: OperationReference;
  /**
   * Consumed operation to call, as `<namespace>.<operation>`, e.g. `registry.get-ship`.
   */
  call?: OperationReference;
  /**
   * Values passed to the called operation's parameters, e.g. `{imo: "{{imo}}"}`.
   */
  with?: WithInjector;
  /**
   * Ordered steps for orchestrated mode.
   *
   * @minItems 1
   */
  steps?: [OperationStep, ...OperationStep[]];
  /**
   * How step results fill the outputs (orchestrated mode).
   */
  mappings?: StepOutputMapping[];
  /**
   * Behaviour hints sent to clients as MCP tool annotations.
   */
  hints?: McpToolHints;
  /**
   * Outputs: mapped with `call`, named with `steps`, fixed values in mock mode.
   */
  outputParameters?: unknown[];
};
export type McpTool1 =
  | {
      /**
       * Outputs mapped from the response.
       */
      outputParameters?: MappedOutputParameter[];
      /**
       * Tool name seen by MCP clients, e.g. `get-ship`. Keep it under 64 characters.
       */
      name: {
        [k: string]: unknown;
      };
      /**
       * Purpose of the tool and when an agent should pick it; shown to the model.
       */
      description: {
        [k: string]: unknown;
      };
      /**
       * Consumed operation to call, as `<namespace>.<operation>`, e.g. `registry.get-ship`.
       */
      call: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Step results mapped to outputs.
       */
      mappings?: {
        [k: string]: unknown;
      };
      /**
       * Named outputs filled by `mappings`.
       */
      outputParameters?: OrchestratedOutputParameter[];
      /**
       * Tool name seen by MCP clients, e.g. `get-ship`. Keep it under 64 characters.
       */
      name: {
        [k: string]: unknown;
      };
      /**
       * Purpose of the tool and when an agent should pick it; shown to the model.
       */
      description: {
        [k: string]: unknown;
      };
      /**
       * Ordered steps for orchestrated mode.
       */
      steps: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Aggregate function to reuse, as `<aggregate-namespace>.<function>`; fields set here override it.
       */
      ref: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Fixed outputs (at least one).
       *
       * @minItems 1
       */
      outputParameters: [MockOutputParameter, ...MockOutputParameter[]];
      /**
       * Tool name seen by MCP clients, e.g. `get-ship`. Keep it under 64 characters.
       */
      name: {
        [k: string]: unknown;
      };
      /**
       * Purpose of the tool and when an agent should pick it; shown to the model.
       */
      description: {
        [k: string]: unknown;
      };
    };
/**
 * An argument of an MCP tool or aggregate function. Example: `{name: imo, type: string, description: IMO number}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "McpToolInputParameter".
 */
export type McpToolInputParameter = McpToolInputParameter1 & {
  /**
   * Argument name; reference it as `{{name}}`.
   */
  name: IdentifierExtended;
  /**
   * JSON type of the argument.
   */
  type: "string" | "number" | "integer" | "boolean" | "array" | "object";
  /**
   * What the argument means; agents read it. Required by the official schema.
   */
  description?: string;
  /**
   * Whether callers must supply it. Default `true`.
   */
  required?: boolean;
  /**
   * Capstan extension: the only values this input accepts, e.g. `[GET, POST, PUT]`. Any other value is refused before an upstream call (REST: 400 problem+json; MCP: a tool error); OpenAPI and tool input schemas list them as `enum`. On a consumed parameter, the REST and tool inputs that feed it inherit the list.
   *
   * @minItems 1
   */
  "x-capstan-enum"?: [string | number | boolean, ...(string | number | boolean)[]];
};
export type McpToolInputParameter1 =
  | {
      /**
       * What the argument means; agents read it. Required by the official schema.
       */
      description: {
        [k: string]: unknown;
      };
    }
  | {
      [k: string]: unknown;
    };
/**
 * An MCP resource agents can read: dynamic (backed by `call` or `steps`) or static (files under a `file:///` `location`). Example: `{name: fleet, label: Fleet, uri: data://fleet, description: ..., call: registry.list-ships}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "McpResource".
 */
export type McpResource = {
  /**
   * Resource name in listings.
   */
  name: IdentifierExtended;
  /**
   * Human-friendly title shown by clients.
   */
  label: string;
  /**
   * Resource URI; any scheme; `{param}` placeholders make it a template, e.g. `data://ships/{imo}`.
   */
  uri: string;
  /**
   * What the resource contains; agents read it.
   */
  description: string;
  /**
   * Content type, e.g. `application/json`.
   */
  mimeType?: MimeType;
  /**
   * Consumed operation giving the content, as `<namespace>.<operation>`.
   */
  call?: OperationReference;
  /**
   * Values passed to the called operation's parameters.
   */
  with?: WithInjector;
  /**
   * Ordered steps producing the content.
   *
   * @minItems 1
   */
  steps?: [OperationStep, ...OperationStep[]];
  /**
   * How step results fill the outputs.
   */
  mappings?: StepOutputMapping[];
  /**
   * Outputs shaping the content: mapped with `call`, named with `steps`.
   */
  outputParameters?: unknown[];
  /**
   * Static resources: `file:///` directory whose files are served.
   */
  location?: FileUri;
} & McpResource1;
/**
 * Media type with optional parameters, e.g. `application/json` or `text/plain; charset=utf-8`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "MimeType".
 */
export type MimeType = string;
export type McpResource1 =
  | {
      /**
       * Outputs mapped from the response.
       */
      outputParameters?: MappedOutputParameter[];
      /**
       * Consumed operation giving the content, as `<namespace>.<operation>`.
       */
      call: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Step results mapped to outputs.
       */
      mappings?: {
        [k: string]: unknown;
      };
      /**
       * Named outputs filled by `mappings`.
       */
      outputParameters?: OrchestratedOutputParameter[];
      /**
       * Ordered steps producing the content.
       */
      steps: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Static resources: `file:///` directory whose files are served.
       */
      location: {
        [k: string]: unknown;
      };
    };
/**
 * A reusable MCP prompt with arguments. Give inline `template` messages or a `file:///` `location`, not both.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "McpPrompt".
 */
export type McpPrompt = {
  /**
   * Prompt name in listings.
   */
  name: IdentifierExtended;
  /**
   * Human-friendly title shown by clients.
   */
  label: string;
  /**
   * What the prompt is for and when to use it.
   */
  description: string;
  /**
   * Arguments substituted into `{{arg}}` placeholders.
   *
   * @minItems 1
   */
  arguments?: [McpPromptArgument, ...McpPromptArgument[]];
  /**
   * Inline messages (at least one).
   *
   * @minItems 1
   */
  template?: [McpPromptMessage, ...McpPromptMessage[]];
  /**
   * File holding the prompt text; it becomes one `user` message.
   */
  location?: FileUri;
} & McpPrompt1;
export type McpPrompt1 =
  | {
      /**
       * Inline messages (at least one).
       */
      template: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * File holding the prompt text; it becomes one `user` message.
       */
      location: {
        [k: string]: unknown;
      };
    };
export type ExposesMcp1 =
  | {
      /**
       * Must be `stdio`.
       */
      transport: "stdio";
    }
  | {
      /**
       * Must be `http` when given.
       */
      transport?: "http";
      /**
       * TCP port (http only), e.g. `3001`.
       */
      port: {
        [k: string]: unknown;
      };
    };
/**
 * A skill tool: either `from` another adapter's operation or tool, or an `instruction` file. Example: `{name: get-ship, description: ..., from: {sourceNamespace: shipyard-tools, action: get-ship}}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "SkillTool".
 */
export type SkillTool = {
  /**
   * Tool name.
   */
  name: IdentifierKebab;
  /**
   * What the tool does.
   */
  description: string;
  /**
   * Takes the tool from a sibling REST or MCP adapter.
   */
  from?: {
    /**
     * Namespace of the sibling adapter.
     */
    sourceNamespace: string;
    /**
     * Operation name (REST) or tool name (MCP) in that adapter.
     */
    action: string;
  };
  /**
   * Instruction file, relative to the skill's `location`.
   */
  instruction?: string;
} & SkillTool1;
export type SkillTool1 =
  | {
      /**
       * Takes the tool from a sibling REST or MCP adapter.
       */
      from: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Instruction file, relative to the skill's `location`.
       */
      instruction: {
        [k: string]: unknown;
      };
    };
/**
 * An entry of `consumes`: an inline HTTP adapter (has `namespace`, `type: http`, `baseUri`) or an import (has `location` and `import`).
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ConsumesAdapter".
 */
export type ConsumesAdapter = ConsumesHttp | ImportedConsumesHttp;
/**
 * Body sent to the upstream API: an object whose `type` is json, text, xml, sparql, formUrlEncoded or multipartForm, or a plain string.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "RequestBody".
 */
export type RequestBody =
  | RequestBodyJson
  | RequestBodyText
  | RequestBodyFormUrlEncoded
  | RequestBodyMultipartForm
  | RequestBodyRaw
  | RequestBodyDefactoType
  | RequestBodyPartsMap;
/**
 * A body given as a plain string, sent as JSON unless a `Content-Type` header parameter says otherwise.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "RequestBodyRaw".
 */
export type RequestBodyRaw = string;
/**
 * A reusable unit of work: call one upstream operation (`call`), run `steps`, or return fixed `outputParameters` (mock). Adapters reuse it with `ref`; fields they set themselves win.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "AggregateFunction".
 */
export type AggregateFunction = AggregateFunction1 & {
  /**
   * Function name; the second part of `ref: <aggregate>.<name>`.
   */
  name: IdentifierKebab;
  /**
   * What the function does; inherited by tools and operations that reference it.
   */
  description: string;
  /**
   * Behaviour hints (safe, idempotent, cacheable).
   */
  semantics?: Semantics;
  /**
   * Inputs the function accepts.
   */
  inputParameters?: McpToolInputParameter[];
  /**
   * Consumed operation to call, as `<namespace>.<operation>`, e.g. `registry.get-ship`.
   */
  call?: OperationReference;
  /**
   * Values passed to the called operation's parameters.
   */
  with?: WithInjector;
  /**
   * Ordered steps for orchestrated mode.
   *
   * @minItems 1
   */
  steps?: [OperationStep, ...OperationStep[]];
  /**
   * How step results fill the outputs (orchestrated mode).
   */
  mappings?: StepOutputMapping[];
  /**
   * Outputs: mapped parameters with `call`, named ones with `steps`, fixed values in mock mode.
   */
  outputParameters?: unknown[];
};
export type AggregateFunction1 =
  | {
      /**
       * Outputs mapped from the response.
       */
      outputParameters?: MappedOutputParameter[];
      /**
       * Consumed operation to call, as `<namespace>.<operation>`, e.g. `registry.get-ship`.
       */
      call: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Step results mapped to outputs.
       */
      mappings?: {
        [k: string]: unknown;
      };
      /**
       * Named outputs filled by `mappings`.
       */
      outputParameters?: OrchestratedOutputParameter[];
      /**
       * Ordered steps for orchestrated mode.
       */
      steps: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * Fixed outputs (at least one).
       *
       * @minItems 1
       */
      outputParameters: [MockOutputParameter, ...MockOutputParameter[]];
    };
/**
 * Variable name in UPPER_SNAKE_CASE starting with a letter, e.g. `REGISTRY_TOKEN`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "BindingVariableName".
 */
export type BindingVariableName = string;

/**
 * A stakeholder. Example: `{role: owner, fullName: Ada Lovelace, email: ada@example.com}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "Person".
 */
export interface Person {
  /**
   * Role in the capability, e.g. `owner` or `maintainer`.
   */
  role: string;
  /**
   * Full name of the person.
   */
  fullName: string;
  /**
   * Contact e-mail address.
   */
  email?: string;
}
/**
 * Declares a source of variables (secrets, settings) that templates can reference as `{{VARIABLE}}`. Example: `{namespace: env, keys: {API_TOKEN: api-token}}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "Binding".
 */
export interface Binding {
  /**
   * Name of this binding; can qualify a variable as `{{namespace.VARIABLE}}`.
   */
  namespace: IdentifierKebab;
  /**
   * What these variables are for. Informational only.
   */
  description?: string;
  /**
   * Where values come from, as a URI whose scheme picks the provider (e.g. `file:///./shared/secrets.yaml`). Omit to read them from the process environment.
   */
  location?: UriLocation;
  /**
   * Maps each variable name (UPPER_SNAKE) to the key that holds its value in the provider.
   */
  keys: BindingKeys;
}
/**
 * Map from variable name (e.g. `REGISTRY_TOKEN`) to the provider key holding its value (e.g. `registry-bearer-token`).
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "BindingKeys".
 */
export interface BindingKeys {
  /**
   * Key of the value in the provider.
   */
  [k: string]: IdentifierExtended;
}
/**
 * Serves a REST API. Example: `{type: rest, port: 3002, namespace: shipyard-api, resources: [...]}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ExposesRest".
 */
export interface ExposesRest {
  /**
   * Adapter kind.
   */
  type: "rest";
  /**
   * Interface to listen on, e.g. `0.0.0.0`. Default `localhost`.
   */
  address?: Address;
  /**
   * TCP port, e.g. `3002`.
   */
  port: Port;
  /**
   * Unique name of this adapter.
   */
  namespace: IdentifierKebab;
  /**
   * Not part of the official schema for REST adapters (accepted with a warning): what this API offers.
   */
  description?: string;
  /**
   * Credentials callers must present.
   */
  authentication?: Authentication;
  /**
   * Paths served by this API.
   *
   * @minItems 1
   */
  resources?: [ExposedResource, ...ExposedResource[]];
  /**
   * Per-client inbound rate limit (Capstan extension).
   */
  "x-capstan-rateLimit"?: InboundRateLimit;
}
/**
 * HTTP Basic authentication. Example: `{type: basic, username: "{{USER}}", password: "{{PASSWORD}}"}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "AuthBasic".
 */
export interface AuthBasic {
  /**
   * Capstan extension: the credential comes from each caller (minted JWT, per-caller store or pass-through) instead of one static value.
   */
  "x-capstan-credentials"?: CapstanCredentials;
  /**
   * Basic authentication.
   */
  type: "basic";
  /**
   * User name; templates such as `{{USER}}` allowed.
   */
  username?: string;
  /**
   * Password; use a bind variable such as `{{PASSWORD}}`.
   */
  password?: string;
}
/**
 * Per-caller credentials of a consumed API (Capstan extension). `source: mint` signs a JWT per caller (`algorithm`, `key`, `claims`, `ttl`); `source: store` looks the caller's entry up (`store`: a `file:` location or `redis://` URL, `key`, `prefix`); `source: passthrough` forwards the caller's own `header` (as `as`) to this upstream only. `parameters` forces consumed parameters per caller, e.g. `{connected_account_id: '{{credential.connected_account_id}}'}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "CapstanCredentials".
 */
export interface CapstanCredentials {
  /**
   * Where each caller's credential comes from.
   */
  source: "mint" | "store" | "passthrough";
  /**
   * mint: signature algorithm (default RS256).
   */
  algorithm?: "RS256" | "ES256";
  /**
   * mint: the private signing key (PEM or JWK; a bind such as `{{SIGNING_KEY}}` or a `file:` location). store: the entry key template (default `{{caller.sub}}`).
   */
  key?: string;
  /**
   * mint: claims of each token, templates over `caller` (default `{sub: '{{caller.sub}}'}`); `iat` and `exp` are added.
   */
  claims?: {};
  /**
   * mint: token lifetime in seconds (default 3600); tokens are reused per caller until near expiry.
   */
  ttl?: number;
  /**
   * store: a `file:` YAML/JSON map from caller to entry, or a `redis://` URL.
   */
  store?: string;
  /**
   * store (Redis): key prefix (default `capstan:<namespace>:`).
   */
  prefix?: string;
  /**
   * passthrough: the caller's header to forward (default `authorization`).
   */
  header?: string;
  /**
   * passthrough: the upstream header name (default: the same name).
   */
  as?: string;
  /**
   * Consumed parameters forced per caller (templates over `caller` and `credential`); callers cannot override them.
   */
  parameters?: {
    [k: string]: string;
  };
}
/**
 * API key in a header or query parameter. Example: `{type: apikey, key: X-API-Key, value: "{{API_KEY}}", placement: header}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "AuthApiKey".
 */
export interface AuthApiKey {
  /**
   * Capstan extension: the credential comes from each caller (minted JWT, per-caller store or pass-through) instead of one static value.
   */
  "x-capstan-credentials"?: CapstanCredentials;
  /**
   * API key authentication.
   */
  type: "apikey";
  /**
   * Header or query parameter name, e.g. `X-API-Key`.
   */
  key?: string;
  /**
   * Key value; use a bind variable such as `{{API_KEY}}`.
   */
  value?: string;
  /**
   * Where the key goes: `header` (documented default) or `query`.
   */
  placement?: "header" | "query";
}
/**
 * Bearer token in the `Authorization` header. Example: `{type: bearer, token: "{{API_TOKEN}}"}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "AuthBearer".
 */
export interface AuthBearer {
  /**
   * Capstan extension: the credential comes from each caller (minted JWT, per-caller store or pass-through) instead of one static value.
   */
  "x-capstan-credentials"?: CapstanCredentials;
  /**
   * Bearer token authentication.
   */
  type: "bearer";
  /**
   * Token; use a bind variable such as `{{API_TOKEN}}`.
   */
  token?: string;
}
/**
 * HTTP Digest authentication. Example: `{type: digest, username: "{{USER}}", password: "{{PASSWORD}}"}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "AuthDigest".
 */
export interface AuthDigest {
  /**
   * Capstan extension: the credential comes from each caller (minted JWT, per-caller store or pass-through) instead of one static value.
   */
  "x-capstan-credentials"?: CapstanCredentials;
  /**
   * Digest authentication.
   */
  type: "digest";
  /**
   * User name.
   */
  username?: string;
  /**
   * Password; use a bind variable.
   */
  password?: string;
}
/**
 * OAuth 2.0 bearer tokens checked against an authorization server (for exposed adapters). Example: `{type: oauth2, authorizationServerUri: https://auth.example.com, resource: https://api.example.com}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "AuthOAuth2".
 */
export interface AuthOAuth2 {
  /**
   * OAuth 2.0 authentication.
   */
  type: "oauth2";
  /**
   * Issuer URL of the authorization server.
   */
  authorizationServerUri: string;
  /**
   * URL identifying this protected resource.
   */
  resource: string;
  /**
   * Scopes a token must carry, e.g. `[ships:read]`.
   */
  scopes?: string[];
  /**
   * Expected token audience.
   */
  audience?: string;
  /**
   * Token endpoint URL, when not discovered from the server.
   */
  tokenEndpoint?: string;
  /**
   * How tokens are checked: `jwks` (default, local signature check) or `introspection`.
   */
  tokenValidation?: "jwks" | "introspection";
  /**
   * Consumed side (Capstan extension): client id for the client-credentials or refresh-token grant at `tokenEndpoint` (else `authorizationServerUri`). May hold `{{VAR}}`.
   */
  "x-capstan-clientId"?: string;
  /**
   * Consumed side (Capstan extension): client secret, normally `{{VAR}}` from a bind.
   */
  "x-capstan-clientSecret"?: string;
  /**
   * Consumed side (Capstan extension): a refresh token; when set, the refresh_token grant is used instead of client_credentials.
   */
  "x-capstan-refreshToken"?: string;
}
/**
 * Fields shared by every mapped output parameter (simple mode). The `type` picks one of the variants.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "MappedOutputParameterBase".
 */
export interface MappedOutputParameterBase {
  /**
   * Data type of the output: string, number, boolean, object or array.
   */
  type: "string" | "number" | "boolean" | "object" | "array";
  /**
   * JSONPath into the upstream response, e.g. `$.data.name` or `$.items[0].id`.
   */
  mapping?: string;
  /**
   * Informational constant for docs and linters, ignored at run time; use `value` to return a fixed result.
   */
  const?: string | number | boolean | unknown[] | {};
  /**
   * Static value, or a `{{...}}` template, returned as-is instead of a mapped one.
   */
  value?: string;
}
/**
 * Fields shared by every orchestrated output parameter: a `name` and a `type`. Values come from the `mappings` of the steps.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "OrchestratedOutputParameterBase".
 */
export interface OrchestratedOutputParameterBase {
  /**
   * Name of the output field; a `mappings[].targetName` fills it.
   */
  name: IdentifierExtended;
  /**
   * Data type of the output field.
   */
  type: "string" | "number" | "boolean" | "object" | "array";
}
/**
 * Parameter values for the called operation, keyed by its parameter names; values are literals or templates such as `{{imo}}`. Example: `{imo: "{{imo}}", limit: 10}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "WithInjector".
 */
export interface WithInjector {
  /**
   * A string (literal or template) or a number.
   */
  [k: string]: string | number;
}
/**
 * Fields shared by every step: its `type` and a unique `name`; later steps and mappings refer to results as `$.<name>`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "OperationStepBase".
 */
export interface OperationStepBase {
  /**
   * Kind of step: `call`, `lookup` or `script`.
   */
  type: "call" | "lookup" | "script";
  /**
   * Step name, e.g. `get-ship`; results are read as `$.get-ship...`.
   */
  name: IdentifierKebab;
}
/**
 * Copies a step result into an output. Example: `{targetName: ship.name, value: $.get-ship.name}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "StepOutputMapping".
 */
export interface StepOutputMapping {
  /**
   * Output field to fill; dots create nested objects, e.g. `route.from`.
   */
  targetName: string;
  /**
   * JSONPath starting with the step name, e.g. `$.get-ship.name`.
   */
  value: string;
}
/**
 * The `Cache-Control` header of 2xx answers of an exposed REST operation (shape of naftiko/ikanos#486). Without it, an operation calling a function with `semantics.cacheable: true` sends `public, max-age=60` (`private` when the adapter authenticates).
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "CacheControl".
 */
export interface CacheControl {
  /**
   * Seconds: `max-age=<n>`.
   */
  maxAge?: number;
  /**
   * Whether shared caches may keep the answer.
   */
  visibility?: "public" | "private";
  /**
   * `no-store` (wins over everything else).
   */
  noStore?: boolean;
  /**
   * `no-cache`: revalidate before reuse.
   */
  noCache?: boolean;
}
/**
 * Proxies requests to a consumed adapter without per-operation logic. Example: `{targetNamespace: registry, trustedHeaders: [Authorization]}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ForwardConfig".
 */
export interface ForwardConfig {
  /**
   * Namespace of the consumed adapter that receives the requests.
   */
  targetNamespace: IdentifierKebab;
  /**
   * Incoming headers passed on upstream; all others are dropped.
   *
   * @minItems 1
   */
  trustedHeaders?: [string, ...string[]];
}
/**
 * Capstan extension: a per-client rate limit on this adapter (client = API key, bearer token subject, else IP), answered with 429 and `RateLimit-*` headers.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "InboundRateLimit".
 */
export interface InboundRateLimit {
  /**
   * Requests allowed per client per window.
   */
  max: number;
  /**
   * Window length in ms. Default 60000.
   */
  timeWindow?: number;
}
/**
 * A fixed output returned without calling any upstream (mock mode). Example: `{name: status, type: string, value: operational}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "MockOutputParameter".
 */
export interface MockOutputParameter {
  /**
   * Name of the output field.
   */
  name: IdentifierExtended;
  /**
   * Scalar type of the value.
   */
  type: "string" | "number" | "boolean";
  /**
   * Value to return; may use `{{input}}` templates, e.g. `Hello {{name}}`.
   */
  value: string;
}
/**
 * MCP tool annotations telling clients how the tool behaves. Unset hints are not sent.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "McpToolHints".
 */
export interface McpToolHints {
  /**
   * True when the tool changes nothing (MCP default false).
   */
  readOnly?: boolean;
  /**
   * True when the tool may delete or overwrite data (MCP default true).
   */
  destructive?: boolean;
  /**
   * True when repeating a call has no further effect (MCP default false).
   */
  idempotent?: boolean;
  /**
   * True when the tool reaches external systems (MCP default true).
   */
  openWorld?: boolean;
}
/**
 * An argument of an MCP prompt. Example: `{name: ship, description: Ship name}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "McpPromptArgument".
 */
export interface McpPromptArgument {
  /**
   * Argument name; used as `{{name}}` in the template.
   */
  name: IdentifierExtended;
  /**
   * Human-friendly title.
   */
  label?: string;
  /**
   * What the argument means.
   */
  description: string;
  /**
   * Whether callers must supply it. Default `true`.
   */
  required?: boolean;
}
/**
 * One message of a prompt template. Example: `{role: user, content: "Summarise {{ship}}"}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "McpPromptMessage".
 */
export interface McpPromptMessage {
  /**
   * Who speaks the message.
   */
  role: "user" | "assistant";
  /**
   * Message text; may use `{{arg}}` placeholders.
   */
  content: string;
}
/**
 * Publishes an Agent Skills catalogue built from other adapters or instruction files. Example: `{type: skill, port: 3003, namespace: shipyard-skills, skills: [...]}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ExposesSkill".
 */
export interface ExposesSkill {
  /**
   * Adapter kind.
   */
  type: "skill";
  /**
   * Interface to listen on. Default `localhost`.
   */
  address?: Address;
  /**
   * TCP port, e.g. `3003`.
   */
  port: Port;
  /**
   * Unique name of this adapter.
   */
  namespace: IdentifierKebab;
  /**
   * What this skill server offers.
   */
  description?: string;
  /**
   * Credentials callers must present.
   */
  authentication?: Authentication;
  /**
   * Skills published (at least one).
   *
   * @minItems 1
   */
  skills: [ExposedSkill, ...ExposedSkill[]];
}
/**
 * One skill with its Agent Skills front matter and tools. Example: `{name: fleet-ops, description: Look up ships, tools: [...]}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ExposedSkill".
 */
export interface ExposedSkill {
  /**
   * Skill name, kebab-case, e.g. `fleet-ops`.
   */
  name: IdentifierKebab;
  /**
   * Purpose of the skill and the situations it suits; agents read it (max 1024 characters).
   */
  description: string;
  /**
   * License, e.g. `Apache-2.0`.
   */
  license?: string;
  /**
   * Requirements or compatibility notes (max 500 characters).
   */
  compatibility?: string;
  /**
   * Free key/value metadata, e.g. `{author: ops-team}`.
   */
  metadata?: {
    /**
     * Metadata value.
     */
    [k: string]: string;
  };
  /**
   * Space-separated tool names pre-approved for this skill (max 1024 characters).
   */
  "allowed-tools"?: string;
  /**
   * Hint shown when the skill is invoked as a slash command.
   */
  "argument-hint"?: string;
  /**
   * Whether users can invoke it as a slash command. Default `true`.
   */
  "user-invocable"?: boolean;
  /**
   * Stops agents loading it automatically. Default `false`.
   */
  "disable-model-invocation"?: boolean;
  /**
   * Folder holding `SKILL.md` and instruction files; needed when a tool uses `instruction`.
   */
  location?: FileUri;
  /**
   * Tools of the skill.
   *
   * @minItems 1
   */
  tools?: [SkillTool, ...SkillTool[]];
}
/**
 * Management port with health, status and observability endpoints served by the runtime. Example: `{type: control, port: 9090}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ExposesControl".
 */
export interface ExposesControl {
  /**
   * Adapter kind.
   */
  type: "control";
  /**
   * Interface to listen on. Default `localhost`.
   */
  address?: Address & string;
  /**
   * TCP port, e.g. `9090`.
   */
  port: Port;
  /**
   * Not part of the official schema for control adapters (accepted with a warning): what this port is for.
   */
  description?: string;
  /**
   * Credentials callers must present.
   */
  authentication?: Authentication;
  /**
   * Which management endpoints are on.
   */
  management?: ControlManagementSpec;
  /**
   * Metrics and tracing settings.
   */
  observability?: ObservabilitySpec;
}
/**
 * Switches for the control port's management endpoints.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ControlManagementSpec".
 */
export interface ControlManagementSpec {
  /**
   * Serves `/health/live` and `/health/ready`. Default `true`.
   */
  health?: boolean;
  /**
   * Serves `/status` and `/config`. Default `false`.
   */
  info?: boolean;
  /**
   * Serves `POST /config/reload`. Default `false`.
   */
  reload?: boolean;
  /**
   * Serves `POST /config/validate` (dry run). Default `false`.
   */
  validate?: boolean;
  /**
   * Log endpoints: `true`/`false`, or an object for finer control. Default `false`.
   */
  logs?: boolean | ControlLogsEndpointSpec;
  /**
   * Defaults and limits for script steps.
   */
  scripting?: ScriptingManagementSpec;
}
/**
 * Detailed settings for the `/logs` endpoints.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ControlLogsEndpointSpec".
 */
export interface ControlLogsEndpointSpec {
  /**
   * Lets callers change log levels. Default `true`.
   */
  "level-control"?: boolean;
  /**
   * Streams logs over SSE. Default `false`.
   */
  stream?: boolean;
  /**
   * Most simultaneous stream clients, 1-20. Default `5`.
   */
  "max-subscribers"?: number;
}
/**
 * Defaults, limits and on/off switch for script steps.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ScriptingManagementSpec".
 */
export interface ScriptingManagementSpec {
  /**
   * Allows script steps to run. Default `true`.
   */
  enabled?: boolean;
  /**
   * Scripts folder used by steps without `location`.
   */
  defaultLocation?: FileUri;
  /**
   * Language used by steps without `language`.
   */
  defaultLanguage?: "javascript" | "python" | "groovy";
  /**
   * Time limit per script step in milliseconds. Default `60000`.
   */
  timeout?: number;
  /**
   * Most statements a script may run (JavaScript and Python). Default `100000`.
   */
  statementLimit?: number;
  /**
   * Languages permitted; all when omitted.
   */
  allowedLanguages?: ("javascript" | "python" | "groovy")[];
}
/**
 * Metrics and tracing for the capability.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ObservabilitySpec".
 */
export interface ObservabilitySpec {
  /**
   * Turns observability on. Default `true`.
   */
  enabled?: boolean;
  /**
   * Metrics settings.
   */
  metrics?: ObservabilityMetricsSpec;
  /**
   * Tracing settings.
   */
  traces?: ObservabilityTracesSpec;
  /**
   * Where telemetry is sent.
   */
  exporters?: ObservabilityExportersSpec;
}
/**
 * Metrics settings.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ObservabilityMetricsSpec".
 */
export interface ObservabilityMetricsSpec {
  /**
   * Metrics endpoint on the control port.
   */
  local?: ObservabilityLocalEndpointSpec;
}
/**
 * A local telemetry endpoint on the control port.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ObservabilityLocalEndpointSpec".
 */
export interface ObservabilityLocalEndpointSpec {
  /**
   * Serves the endpoint. Default `true`.
   */
  enabled?: boolean;
}
/**
 * Tracing settings.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ObservabilityTracesSpec".
 */
export interface ObservabilityTracesSpec {
  /**
   * Share of requests traced, 0 to 1. Default `1.0`.
   */
  sampling?: number;
  /**
   * Trace context header format. Default `w3c`.
   */
  propagation?: "w3c" | "b3";
  /**
   * Recent traces kept on the control port.
   */
  local?: ObservabilityTracesLocalSpec;
}
/**
 * Recent traces kept in memory and served on the control port.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ObservabilityTracesLocalSpec".
 */
export interface ObservabilityTracesLocalSpec {
  /**
   * Keeps and serves recent traces. Default `true`.
   */
  enabled?: boolean;
  /**
   * Number of traces kept, 10-10000. Default `100`.
   */
  "buffer-size"?: number;
}
/**
 * Telemetry exporters.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ObservabilityExportersSpec".
 */
export interface ObservabilityExportersSpec {
  /**
   * OpenTelemetry (OTLP) exporter.
   */
  otlp?: ObservabilityOtlpExporterSpec;
}
/**
 * Sends telemetry to an OTLP collector. Example: `{endpoint: http://otel-collector:4318}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ObservabilityOtlpExporterSpec".
 */
export interface ObservabilityOtlpExporterSpec {
  /**
   * Collector URL, e.g. `http://localhost:4318`.
   */
  endpoint: string;
}
/**
 * An upstream HTTP API. Operations are called as `<namespace>.<operation-name>`. Example: `{namespace: registry, type: http, baseUri: https://api.example.com/v1, resources: [...]}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ConsumesHttp".
 */
export interface ConsumesHttp {
  /**
   * Name used as the first part of `call` references, e.g. `registry`.
   */
  namespace: IdentifierKebab;
  /**
   * Adapter kind.
   */
  type: "http";
  /**
   * What the upstream API does.
   */
  description?: string;
  /**
   * Scheme, host and optional base path, e.g. `https://api.example.com/v1`. Leave off the trailing `/`.
   */
  baseUri: string;
  /**
   * Parameters sent with every request, e.g. an API version header.
   */
  inputParameters?: ConsumedInputParameter[];
  /**
   * Credentials sent with every request.
   */
  authentication?: Authentication | ConsumedAuthDefacto;
  /**
   * Paths of the upstream API and their operations.
   *
   * @minItems 1
   */
  resources?: [ConsumedHttpResource, ...ConsumedHttpResource[]];
  /**
   * Resilience policies (Capstan extension, naftiko/ikanos#384 shape).
   */
  resiliency?: Resiliency;
}
/**
 * A value sent with every request to the upstream API at this level (adapter, resource or operation). Example: `{name: Accept, in: header, value: application/json}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ConsumedInputParameter".
 */
export interface ConsumedInputParameter {
  /**
   * Parameter name as the upstream API expects it (header name, query key, path placeholder...).
   */
  name: IdentifierExtended;
  /**
   * Where the value goes in the outgoing request.
   */
  in: "query" | "header" | "path" | "cookie" | "body" | "environment";
  /**
   * Value to send; may contain `{{...}}` templates, e.g. `Bearer {{API_TOKEN}}` or `{{imo}}`.
   */
  value?: string;
  /**
   * Not part of the official schema (accepted with a warning): data type of the value. The runtime ignores it.
   */
  type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  /**
   * Not part of the official schema (accepted with a warning): whether the upstream needs this parameter. The runtime ignores it.
   */
  required?: boolean;
  /**
   * Not part of the official schema (accepted with a warning): a note about the parameter. The runtime ignores it.
   */
  description?: string;
  /**
   * Capstan extension: the only values this input accepts, e.g. `[GET, POST, PUT]`. Any other value is refused before an upstream call (REST: 400 problem+json; MCP: a tool error); OpenAPI and tool input schemas list them as `enum`. On a consumed parameter, the REST and tool inputs that feed it inherit the list.
   *
   * @minItems 1
   */
  "x-capstan-enum"?: [string | number | boolean, ...(string | number | boolean)[]];
}
/**
 * Not in the official schema (accepted with a warning): the consumed-API schemes real files declare, performed by Capstan: `oauth1` (consumerKey, signingKey or consumerSecret), `aws-sig-v4` (accessKeyId, secretKey, region, service), `hmac` (Veracode: apiId, apiKey), `certificate` (certPath or cert, key, ca, certPassword), API keys written `apiKey`/`header`/`query` or with `in`/`name`/`value`, and `headers:` maps. Official forms: basic, apikey, bearer, digest, oauth2.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ConsumedAuthDefacto".
 */
export interface ConsumedAuthDefacto {
  /**
   * The scheme, e.g. `oauth1`.
   */
  type: string;
}
/**
 * A path of the upstream API with its operations. Example: `{name: ships, path: /ships/{{imo}}, operations: [...]}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ConsumedHttpResource".
 */
export interface ConsumedHttpResource {
  /**
   * Technical name of the resource.
   */
  name: IdentifierKebab;
  /**
   * Display name; no effect at run time.
   */
  label?: string;
  /**
   * What the resource represents upstream.
   */
  description?: string;
  /**
   * Path appended as-is to `baseUri`, e.g. `/ships/{{imo}}`.
   */
  path: string;
  /**
   * Parameters shared by the operations of this resource.
   */
  inputParameters?: ConsumedInputParameter[];
  /**
   * HTTP operations on this path (at least one).
   *
   * @minItems 1
   */
  operations: [ConsumedHttpOperation, ...ConsumedHttpOperation[]];
  /**
   * Resilience policies (Capstan extension, naftiko/ikanos#384 shape).
   */
  resiliency?: Resiliency;
}
/**
 * One call to the upstream API. Example: `{name: get-ship, method: GET}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ConsumedHttpOperation".
 */
export interface ConsumedHttpOperation {
  /**
   * Operation name; the second part of `call: <namespace>.<name>`.
   */
  name: IdentifierKebab;
  /**
   * Display name.
   */
  label?: string;
  /**
   * What the operation does.
   */
  description?: string;
  /**
   * HTTP method. Required; `GET` is the documented default.
   */
  method: HttpMethod;
  /**
   * Parameters for this operation; they override resource and adapter ones with the same `name` and `in`.
   */
  inputParameters?: ConsumedInputParameter[];
  /**
   * Format of the upstream response body. Default `json`.
   */
  outputRawFormat?: "json" | "xml" | "avro" | "protobuf" | "csv" | "tsv" | "psv" | "yaml" | "html" | "markdown";
  /**
   * Format helper: schema file for avro/protobuf, CSS selector for html (e.g. `table.results`), heading prefix for markdown.
   */
  outputSchema?: string;
  /**
   * Named values extracted from the response.
   */
  outputParameters?: ConsumedOutputParameter[];
  /**
   * Request body, typically for POST, PUT or PATCH.
   */
  body?: RequestBody;
  /**
   * Resilience policies (Capstan extension, naftiko/ikanos#384 shape).
   */
  resiliency?: Resiliency;
}
/**
 * A named value extracted from the upstream response. Example: `{name: ship-name, type: string, value: $.name}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ConsumedOutputParameter".
 */
export interface ConsumedOutputParameter {
  /**
   * Name of the extracted value.
   */
  name: IdentifierExtended;
  /**
   * Data type of the value.
   */
  type: "string" | "number" | "boolean" | "object" | "array";
  /**
   * JSONPath into the response, e.g. `$.data.id`.
   */
  value: string;
}
/**
 * JSON body (`application/json`). Example: `{type: json, data: {name: "{{name}}"}}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "RequestBodyJson".
 */
export interface RequestBodyJson {
  /**
   * JSON body.
   */
  type: "json";
  /**
   * Body content: an object or array, or a string holding JSON.
   */
  data: string | {} | unknown[];
}
/**
 * Text body: `text` (text/plain), `xml` (application/xml) or `sparql` (application/sparql-query). Example: `{type: xml, data: "<ship/>"}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "RequestBodyText".
 */
export interface RequestBodyText {
  /**
   * Text flavour.
   */
  type: "text" | "xml" | "sparql";
  /**
   * Body text; may use `{{...}}` templates.
   */
  data: string;
}
/**
 * Form body (`application/x-www-form-urlencoded`). Example: `{type: formUrlEncoded, data: {grant_type: client_credentials}}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "RequestBodyFormUrlEncoded".
 */
export interface RequestBodyFormUrlEncoded {
  /**
   * URL-encoded form.
   */
  type: "formUrlEncoded";
  /**
   * Field map, or an already encoded string.
   */
  data:
    | string
    | {
        /**
         * Field value.
         */
        [k: string]: string;
      };
}
/**
 * Multipart body (`multipart/form-data`) made of parts.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "RequestBodyMultipartForm".
 */
export interface RequestBodyMultipartForm {
  /**
   * Multipart form.
   */
  type: "multipartForm";
  /**
   * The parts, in order.
   */
  data: RequestBodyMultipartFormPart[];
}
/**
 * One part of a multipart body. Example: `{name: file, value: "{{content}}", filename: a.txt, contentType: text/plain}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "RequestBodyMultipartFormPart".
 */
export interface RequestBodyMultipartFormPart {
  /**
   * Form field name.
   */
  name: string;
  /**
   * Part content; may use `{{...}}` templates.
   */
  value: string;
  /**
   * File name, for file parts.
   */
  filename?: string;
  /**
   * Content type of the part, e.g. `text/plain`.
   */
  contentType?: string;
}
/**
 * Not in the official schema (accepted with a warning): a body `type` outside the official list. Aliases are served as their official type when the data fits it (`form`, `urlencoded`, `application/x-www-form-urlencoded` as formUrlEncoded; `multipart`, `form-data`, `multipart/form-data` as multipartForm, a field map giving one text part per entry; MIME types and other cases of the official names); `binary`/`octet-stream` string data is sent as is with `application/octet-stream`; any other type is sent as the JSON text of the data (`application/json`), as the reference engine does.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "RequestBodyDefactoType".
 */
export interface RequestBodyDefactoType {
  /**
   * The body type as written, e.g. `form`.
   */
  type: string;
  /**
   * Body content, read by the type it stands for.
   */
  data: {
    [k: string]: unknown;
  };
}
/**
 * Not in the official schema (accepted with a warning): `multipartForm` data written as a field map, sent as one text part per entry. Official form: a list of `{name, value}` parts.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "RequestBodyPartsMap".
 */
export interface RequestBodyPartsMap {
  /**
   * Multipart form.
   */
  type: "multipartForm";
  /**
   * Map of field name to value.
   */
  data: {
    /**
     * Field value.
     */
    [k: string]: string | number | boolean;
  };
}
/**
 * Resilience policies for calls to a consumed API (Capstan extension in the shape proposed by naftiko/ikanos#384). Declared on the capability, a consumed API, a resource or an operation; each field comes from the nearest level that sets it (operation → resource → API → capability). Durations in milliseconds.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "Resiliency".
 */
export interface Resiliency {
  /**
   * Retries with exponential backoff and full jitter. On by default (2 retries) for GET, HEAD, PUT and DELETE; other methods only with `idempotent: true`.
   */
  retry?: {
    /**
     * Retries after the first attempt; 0 turns retrying off. Default 2.
     */
    attempts?: number;
    /**
     * Backoff ceiling of the first retry in ms (the wait is drawn in [0, ceiling]). Default 100.
     */
    waitDuration?: number;
    /**
     * Largest backoff ceiling in ms. Default 2000.
     */
    maxWaitDuration?: number;
    /**
     * `exponential` (default) doubles the ceiling on each retry.
     */
    backoff?: "exponential" | "fixed";
    /**
     * Statuses retried. Default [429, 502, 503, 504]; connect errors are always retried.
     */
    retryOn?: number[];
    /**
     * Retries a POST or PATCH too: the author vouches that repeating it is harmless.
     */
    idempotent?: boolean;
  };
  /**
   * A circuit breaker per upstream origin; `{}` turns it on with defaults.
   */
  circuitBreaker?: {
    /**
     * Percentage of failed calls (transport errors, timeouts, 5xx) in the window that opens the breaker. Default 50.
     */
    failureRateThreshold?: number;
    /**
     * Calls needed in the window before the breaker can open. Default 10.
     */
    minimumNumberOfCalls?: number;
    /**
     * Window length in ms. Default 10000.
     */
    slidingWindowDuration?: number;
    /**
     * Time open before one probe is let through (half-open), in ms. Default 10000.
     */
    waitDurationInOpenState?: number;
  };
  /**
   * Outbound rate limit for the consumed API: at most `limitForPeriod` calls in any `limitRefreshPeriod`; calls wait up to `timeoutDuration`, then Capstan answers 429 itself.
   */
  rateLimiter?: {
    /**
     * Calls allowed per period.
     */
    limitForPeriod: number;
    /**
     * Period in ms. Default 1000.
     */
    limitRefreshPeriod?: number;
    /**
     * Longest wait for a turn, in ms. Default 5000.
     */
    timeoutDuration?: number;
  };
  /**
   * Caches successful GET answers per full request (credentials included).
   */
  cache?: {
    /**
     * Seconds an answer is reused; 0 turns caching off. Default 60 for functions with `semantics.cacheable: true`, else off.
     */
    ttl?: number;
  };
}
/**
 * Reuses an HTTP adapter declared in another Naftiko file instead of repeating it. The other file must have a root `consumes` list containing an adapter whose `namespace` equals `import`. Example: `{location: ./shared/registry-consumes.yaml, import: registry}`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ImportedConsumesHttp".
 */
export interface ImportedConsumesHttp {
  /**
   * Path of the file holding the adapter, relative to this file's folder (e.g. `./shared/registry-consumes.yaml`).
   */
  location: string;
  /**
   * Namespace of the adapter to take from that file.
   */
  import: IdentifierKebab;
  /**
   * Optional local name for the imported adapter; `call` references then use this name instead of `import`.
   */
  as?: IdentifierKebab;
  /**
   * Free-text note about the imported API. Informational only.
   */
  description?: string;
}
/**
 * A named group of reusable functions. Adapters reference a function as `ref: <namespace>.<function-name>`.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "Aggregate".
 */
export interface Aggregate {
  /**
   * Display name of the aggregate.
   */
  label: string;
  /**
   * First part of `ref` values that point into this aggregate.
   */
  namespace: IdentifierKebab;
  /**
   * Functions of the aggregate (at least one).
   *
   * @minItems 1
   */
  functions: [AggregateFunction, ...AggregateFunction[]];
}
/**
 * Behaviour hints about a function, copied to the MCP tool hints of tools that reference it.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "Semantics".
 */
export interface Semantics {
  /**
   * True when the function only reads and changes nothing.
   */
  safe?: boolean;
  /**
   * True when repeating a call has the same effect as calling once.
   */
  idempotent?: boolean;
  /**
   * True when results can be cached.
   */
  cacheable?: boolean;
}
