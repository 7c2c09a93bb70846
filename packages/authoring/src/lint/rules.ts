/**
 * Capstan's Spectral ruleset: the reference Naftiko ruleset's rules (same names, same meaning,
 * Capstan's own implementation) and `capstan-*` rules for what agents need.
 */
import type { IFunctionResult, RulesetDefinition, RuleDefinition } from '@stoplight/spectral-core';
import { createRulesetFunction } from '@stoplight/spectral-core';
import { falsy, pattern, truthy } from '@stoplight/spectral-functions';
import * as agent from './agent-functions.js';
import * as reference from './reference-functions.js';

/** A whole-document check as a Spectral function. */
const documentCheck = (check: (root: unknown) => IFunctionResult[]) => createRulesetFunction<unknown, null>({ input: null, options: null }, (root) => check(root));

const whole = (fn: (root: unknown) => IFunctionResult[], rest: Omit<RuleDefinition, 'given' | 'then'>): RuleDefinition => ({
  message: '{{error}}',
  ...rest,
  given: '$',
  then: { function: documentCheck(fn) },
});

const notMatching = (given: string | string[], regex: string, rest: Omit<RuleDefinition, 'given' | 'then'>): RuleDefinition => ({
  ...rest,
  given,
  then: { function: pattern, functionOptions: { notMatch: regex } },
});

const present = (given: string | string[], field: string, rest: Omit<RuleDefinition, 'given' | 'then'>): RuleDefinition => ({
  ...rest,
  given,
  then: { field, function: truthy },
});

const CONSUMES = ['$.consumes[*]', '$.capability.consumes[*]'];
const REST = "$.capability.exposes[?(@.type == 'rest')]";
const MCP = "$.capability.exposes[?(@.type == 'mcp')]";
const OAUTH2 = "$.capability.exposes[?(@.authentication && @.authentication.type == 'oauth2')].authentication";
/** Fields rendered as Markdown by documentation and agent UIs. */
const MARKDOWN = [
  '$.info.description', '$.info.label', '$.capability.exposes[*].description', `${REST}.resources[*].description`,
  `${REST}.resources[*].operations[*].description`, `${MCP}.tools[*].description`,
  "$.capability.exposes[?(@.type == 'skill')].skills[*].description", '$.consumes[*].description', '$.capability.consumes[*].description',
];

/** The reference ruleset's rules. */
const REFERENCE_RULES: Record<string, RuleDefinition> = {
  'naftiko-namespaces-unique': whole(reference.uniqueNamespaces, { severity: 'error', description: 'Namespaces are unique across consumes, exposes and binds.' }),
  'naftiko-consumes-baseuri-no-trailing-slash': notMatching(CONSUMES.map((c) => `${c}.baseUri`), '/$', { severity: 'warn', message: '`baseUri` should not end with `/` (paths would get a double slash)', description: 'A consumed baseUri has no trailing slash.' }),
  'naftiko-consumed-resource-no-query-in-path': notMatching(CONSUMES.map((c) => `${c}.resources[*].path`), '\\?', { severity: 'warn', message: 'a consumed resource `path` must not hold a query string; declare `inputParameters` with `in: query`', description: 'Consumed resource paths carry no query string.' }),
  'naftiko-rest-resource-path-no-trailing-slash': notMatching(`${REST}.resources[*].path`, '/$', { severity: 'warn', message: 'an exposed resource `path` must not end with `/`', description: 'Exposed REST paths have no trailing slash.' }),
  'naftiko-rest-resource-path-no-query': notMatching(`${REST}.resources[*].path`, '\\?', { severity: 'warn', message: 'an exposed resource `path` must not hold a query string; declare `inputParameters` with `in: query`', description: 'Exposed REST paths carry no query string.' }),
  'naftiko-address-not-example': notMatching(['rest', 'mcp', 'skill'].map((t) => `$.capability.exposes[?(@.type == '${t}')].address`), 'example\\.com$', { severity: 'warn', message: 'server `address` should not be example.com', description: 'Adapter addresses are not placeholder hosts.' }),
  'naftiko-aggregate-function-description': present('$.capability.aggregates[*].functions[*]', 'description', { severity: 'warn', message: 'aggregate function should have a `description` (adapters inherit it)', description: 'Aggregate functions are described.' }),
  'naftiko-aggregate-semantics-consistency': whole(reference.aggregateSemanticsConsistency, { severity: 'warn', description: 'Tool hints and REST methods agree with the semantics of the function they reference.' }),
  'naftiko-mcp-auth-stdio-conflict': { severity: 'warn', message: 'an MCP adapter on `stdio` should not declare `authentication` (stdio takes credentials from the environment)', description: 'No authentication on stdio MCP adapters.', given: "$.capability.exposes[?(@.type == 'mcp' && @.transport == 'stdio')]", then: { field: 'authentication', function: falsy } },
  'naftiko-oauth2-https-authserver': { severity: 'error', message: 'OAuth2 `authorizationServerUri` must use https://', description: 'OAuth2 authorization servers are reached over HTTPS.', given: OAUTH2, then: { field: 'authorizationServerUri', function: pattern, functionOptions: { match: '^https://' } } },
  'naftiko-oauth2-resource-https': { severity: 'warn', message: 'OAuth2 `resource` should use https://', description: 'OAuth2 resource URIs use HTTPS.', given: OAUTH2, then: { field: 'resource', function: pattern, functionOptions: { match: '^https://' } } },
  'naftiko-oauth2-scopes-defined': present(OAUTH2, 'scopes', { severity: 'warn', message: 'OAuth2 authentication should declare `scopes` (used in challenges and resource metadata)', description: 'OAuth2 authentication declares scopes.' }),
  'naftiko-info-tags': present('$.info', 'tags', { severity: 'info', recommended: false, message: '`info.tags` should be present and non-empty', description: 'The capability is tagged for discovery.' }),
  'naftiko-consumes-description': present(CONSUMES, 'description', { severity: 'warn', message: 'each consumed API should have a `description`', description: 'Consumed APIs are described.' }),
  'naftiko-rest-resource-description': present(`${REST}.resources[*]`, 'description', { severity: 'warn', message: 'each exposed REST resource should have a `description`', description: 'Exposed REST resources are described.' }),
  'naftiko-rest-operation-description': present(`${REST}.resources[*].operations[*]`, 'description', { severity: 'info', recommended: false, message: 'exposed REST operations should have a `description`', description: 'Exposed REST operations are described.' }),
  'naftiko-steps-name-pattern': { severity: 'warn', message: 'step `name` should match ^[A-Za-z0-9_-]+$ (it is used in templates)', description: 'Step names are template-safe.', given: [`${REST}.resources[*].operations[*].steps[*].name`, `${MCP}.tools[*].steps[*].name`], then: { function: pattern, functionOptions: { match: '^[A-Za-z0-9_-]+$' } } },
  'naftiko-no-script-tags-in-markdown': notMatching(MARKDOWN, '<script', { severity: 'error', message: 'Markdown fields must not contain <script> tags', description: 'No script tags in rendered descriptions.' }),
  'naftiko-no-eval-in-markdown': notMatching(MARKDOWN, 'eval\\(', { severity: 'error', message: 'Markdown fields must not contain eval() calls', description: 'No eval() in rendered descriptions.' }),
  'naftiko-baseuri-not-example': notMatching(CONSUMES.map((c) => `${c}.baseUri`), 'example\\.com', { severity: 'warn', recommended: false, message: '`baseUri` should not point to example.com', description: 'Consumed APIs are real services.' }),
  'naftiko-control-port-singleton-and-unique': whole(reference.controlPortValidation, { severity: 'error', description: 'At most one control adapter, on its own port.' }),
  'naftiko-control-address-localhost-warning': { severity: 'warn', message: 'the control adapter `address` should be `localhost` or `127.0.0.1`', description: 'Management endpoints stay off the network.', given: "$.capability.exposes[?(@.type == 'control')].address", then: { function: pattern, functionOptions: { match: '^(localhost|127\\.0\\.0\\.1)$' } } },
  'naftiko-script-defaults-required': whole(reference.scriptDefaultsRequired, { severity: 'error', description: 'Script steps have a location and language, or control-adapter defaults.' }),
};

/** Rules for what agents and their clients need. */
const AGENT_RULES: Record<string, RuleDefinition> = {
  'capstan-tool-name-fits-clients': whole(agent.toolNameFits, { severity: 'error', description: `MCP tool names are at most ${agent.MAX_TOOL_NAME} characters of letters, digits, _ and -.` }),
  'capstan-tool-name-unique': whole(agent.toolNamesUnique, { severity: 'error', description: 'MCP tool names are unique within an adapter.' }),
  'capstan-tool-description-specific': whole(agent.toolDescriptionSpecific, { severity: 'warn', description: 'MCP tools have a description that says what they do, distinct from other tools.' }),
  'capstan-tool-hints-match-method': whole(agent.hintsMatchMethod, { severity: 'warn', description: 'MCP tool hints agree with the HTTP method of the operation called.' }),
  'capstan-no-inline-secrets': whole(agent.noInlineSecrets, { severity: 'error', description: 'Credentials come from binds, never written into the file.' }),
  'capstan-output-shaped': whole(agent.outputsShaped, { severity: 'warn', description: 'Tool and function outputs declare fields rather than passing `$.` through.' }),
};

/** Capstan's ruleset definition (what custom rulesets extend). */
export const CAPSTAN_RULESET: RulesetDefinition = {
  description: 'Capstan: the Naftiko reference rules and rules for agent-ready capabilities',
  rules: { ...REFERENCE_RULES, ...AGENT_RULES },
};

/** Names of the rules in Capstan's ruleset. */
export const RULE_NAMES = Object.keys(CAPSTAN_RULESET.rules);
