/** @capstan/authoring: lint, fix, import and create Naftiko capability specs. */
export { lintText, lintFile, reaches, LINT_SEVERITIES, type LintFinding, type LintSeverity } from './lint/lint.js';
export { loadRuleset, RulesetError } from './lint/custom-ruleset.js';
export { CAPSTAN_RULESET, RULE_NAMES } from './lint/rules.js';
export { formatFinding, findingToJson, toSarif } from './lint/report.js';
