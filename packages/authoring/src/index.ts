/** @capstan/authoring: lint, fix, import and create Naftiko capability specs. */
export { lintText, lintFile, reaches, LINT_SEVERITIES, type LintFinding, type LintSeverity } from './lint/lint.js';
export { loadRuleset, RulesetError } from './lint/custom-ruleset.js';
export { CAPSTAN_RULESET, RULE_NAMES } from './lint/rules.js';
export { formatFinding, findingToJson, toSarif } from './lint/report.js';
export { importOpenApi } from './openapi/import.js';
export { buildCapability, type ImportOptions, type ImportResult } from './openapi/capability.js';
export { readOpenApi, type ApiModel, type ApiOperation, type ApiParameter } from './openapi/model.js';
export { scaffoldCapability } from './create.js';
export { fixFile, type Altered, type FixOptions, type FixResult, type Left } from './fix/fix.js';
export { NO_OFFICIAL_KINDS, whyOf, type NoOfficialKind } from './fix/no-official.js';
