/** `capstan lint`: each rule trips on a file made to trip it and stays quiet on one that is not. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintText, loadRuleset, RULE_NAMES, type LintFinding } from '@capstan/authoring';
import { at, variant } from './lint-fixture.js';

type Obj = Record<string, any>;
interface Case {
  rule: string;
  /** Makes the clean fixture trip the rule. */
  trip: (d: Obj) => void;
  /** Text expected on the line the finding points at. */
  line: string;
  /** A near miss that must not trip it (beside the clean fixture). */
  near?: (d: Obj) => void;
}

const oauth2 = (d: Obj, extra: Obj) => {
  at.rest(d).authentication = { type: 'oauth2', authorizationServerUri: 'https://auth.weather.test', resource: 'https://api.weather.test', scopes: ['read'], ...extra };
};
const steps = (d: Obj, list: Obj[]) => {
  const tool = at.tool(d);
  delete tool.call;
  delete tool.with;
  tool.steps = list;
};

const CASES: Case[] = [
  { rule: 'naftiko-namespaces-unique', trip: (d) => (at.mcp(d).namespace = 'weather'), line: 'namespace: weather' },
  { rule: 'naftiko-consumes-baseuri-no-trailing-slash', trip: (d) => (at.consumed(d).baseUri += '/'), line: 'baseUri' },
  { rule: 'naftiko-consumed-resource-no-query-in-path', trip: (d) => (at.consumed(d).resources[0].path += '?units=metric'), line: 'path: /current/{{city}}?units' },
  { rule: 'naftiko-rest-resource-path-no-trailing-slash', trip: (d) => (at.rest(d).resources[0].path += '/'), line: 'path: /current/{city}/' },
  { rule: 'naftiko-rest-resource-path-no-query', trip: (d) => (at.rest(d).resources[0].path += '?units=metric'), line: 'path: /current/{city}?' },
  { rule: 'naftiko-address-not-example', trip: (d) => (at.mcp(d).address = 'mcp.example.com'), line: 'address: mcp.example.com', near: (d) => (at.mcp(d).address = 'example.com.weather.test') },
  { rule: 'naftiko-aggregate-function-description', trip: (d) => delete at.fn(d).description, line: 'name: read-current' },
  { rule: 'naftiko-aggregate-semantics-consistency', trip: (d) => (at.rest(d).resources[0].operations[0].method = 'POST'), line: 'method: POST' },
  { rule: 'naftiko-aggregate-semantics-consistency', trip: (d) => (at.tool(d, 1).hints = { destructive: true }), line: 'destructive: true', near: (d) => (at.tool(d, 1).hints = { openWorld: true }) },
  { rule: 'naftiko-mcp-auth-stdio-conflict', trip: (d) => Object.assign(at.mcp(d), { transport: 'stdio', authentication: { type: 'bearer', token: '{{WEATHER_TOKEN}}' } }), line: 'authentication', near: (d) => (at.mcp(d).transport = 'stdio') },
  { rule: 'naftiko-oauth2-https-authserver', trip: (d) => oauth2(d, { authorizationServerUri: 'http://auth.weather.test' }), line: 'authorizationServerUri: http://', near: (d) => oauth2(d, {}) },
  { rule: 'naftiko-oauth2-resource-https', trip: (d) => oauth2(d, { resource: 'http://api.weather.test' }), line: 'resource: http://', near: (d) => oauth2(d, {}) },
  { rule: 'naftiko-oauth2-scopes-defined', trip: (d) => oauth2(d, { scopes: undefined }), line: 'authentication:', near: (d) => oauth2(d, {}) },
  { rule: 'naftiko-info-tags', trip: (d) => delete d.info.tags, line: 'info:' },
  { rule: 'naftiko-consumes-description', trip: (d) => delete at.consumed(d).description, line: 'type: http' },
  { rule: 'naftiko-rest-resource-description', trip: (d) => delete at.rest(d).resources[0].description, line: 'path: /current/{city}' },
  { rule: 'naftiko-rest-operation-description', trip: (d) => delete at.rest(d).resources[0].operations[0].description, line: 'method: GET' },
  { rule: 'naftiko-steps-name-pattern', trip: (d) => steps(d, [{ type: 'call', name: 'read weather', call: 'weather.get-current' }]), line: 'name: read weather', near: (d) => steps(d, [{ type: 'call', name: 'read_weather-1', call: 'weather.get-current' }]) },
  { rule: 'naftiko-no-script-tags-in-markdown', trip: (d) => (d.info.description += ' <script>alert(1)</script>'), line: 'description: Current weather' },
  { rule: 'naftiko-no-eval-in-markdown', trip: (d) => (at.tool(d).description += ' Try eval(x).'), line: 'description: Returns the current' },
  { rule: 'naftiko-baseuri-not-example', trip: (d) => (at.consumed(d).baseUri = 'https://api.example.com/v1'), line: 'baseUri: https://api.example.com' },
  { rule: 'naftiko-control-port-singleton-and-unique', trip: (d) => (at.control(d).port = 9090), line: 'port: 9090' },
  { rule: 'naftiko-control-port-singleton-and-unique', trip: (d) => d.capability.exposes.push({ type: 'control', namespace: 'ops2', port: 9092 }), line: 'type: control' },
  { rule: 'naftiko-control-address-localhost-warning', trip: (d) => (at.control(d).address = '0.0.0.0'), line: 'address: 0.0.0.0', near: (d) => (at.control(d).address = '127.0.0.1') },
  {
    rule: 'naftiko-script-defaults-required',
    trip: (d) => steps(d, [{ type: 'script', name: 'compute', location: 'file:///./scripts' }]),
    line: 'type: script',
    near: (d) => {
      steps(d, [{ type: 'script', name: 'compute', location: 'file:///./scripts' }]);
      at.control(d).management = { scripting: { defaultLanguage: 'javascript' } };
    },
  },
  { rule: 'capstan-tool-name-fits-clients', trip: (d) => (at.tool(d).name = `get-${'current-'.repeat(9)}weather`), line: 'name: get-current-current', near: (d) => (at.tool(d).name = `x${'y'.repeat(63)}`) },
  { rule: 'capstan-tool-name-fits-clients', trip: (d) => (at.tool(d).name = 'weather.get'), line: 'name: weather.get' },
  { rule: 'capstan-tool-name-unique', trip: (d) => (at.tool(d, 2).name = 'get-current'), line: 'name: get-current' },
  { rule: 'capstan-tool-description-specific', trip: (d) => (at.tool(d).description = 'Get current'), line: 'description: Get current' },
  { rule: 'capstan-tool-description-specific', trip: (d) => delete at.tool(d).description, line: 'name: get-current' },
  { rule: 'capstan-tool-description-specific', trip: (d) => (at.tool(d, 2).description = at.tool(d).description), line: 'description: Returns the current' },
  { rule: 'capstan-tool-hints-match-method', trip: (d) => (at.tool(d).hints.readOnly = false), line: 'readOnly: false' },
  { rule: 'capstan-tool-hints-match-method', trip: (d) => (at.tool(d, 2).hints = { readOnly: true }), line: 'readOnly: true', near: (d) => Object.assign(at.tool(d, 2), { call: 'weather.report-current', hints: { readOnly: true } }) },
  { rule: 'capstan-no-inline-secrets', trip: (d) => (at.consumed(d).authentication.token = 'live-token-123'), line: 'token: live-token-123' },
  { rule: 'capstan-no-inline-secrets', trip: (d) => at.consumed(d).resources[0].operations[0].inputParameters.push({ name: 'X-Api-Key', in: 'header', value: 'k3y-literal' }), line: 'value: k3y-literal', near: (d) => at.consumed(d).resources[0].operations[0].inputParameters.push({ name: 'X-Api-Key', in: 'header', value: '{{WEATHER_TOKEN}}' }) },
  { rule: 'capstan-no-inline-secrets', trip: (d) => (at.tool(d).description += ' Example key sk-abcdefghijklmnopqrstuvwx.'), line: 'description: Returns the current' },
  { rule: 'capstan-output-shaped', trip: (d) => (at.tool(d).outputParameters = [{ type: 'object', mapping: '$.' }]), line: 'mapping: $.', near: (d) => (at.tool(d).outputParameters = [{ type: 'object', mapping: '$', properties: { temp: { type: 'number', mapping: '$.temp' } } }]) },
  // The official free-form forms (conformance A66) still pass the whole answer through.
  { rule: 'capstan-output-shaped', trip: (d) => (at.tool(d).outputParameters = [{ type: 'array', mapping: '$', items: { type: 'object', properties: {} } }]), line: 'mapping: $', near: (d) => (at.tool(d).outputParameters = [{ type: 'array', mapping: '$', items: { type: 'object', properties: { temp: { type: 'number', mapping: '$.temp' } } } }]) },
];

/** Every rule enabled, the non-recommended ones included (a custom ruleset extending ours with `all`). */
const everyRule = async () => {
  const { tempSpec } = await import('../helpers/tmp.js');
  return loadRuleset(tempSpec('extends: [[capstan, all]]\nrules: {}\n', 'all.yaml'));
};

async function findings(text: string, rule: string): Promise<LintFinding[]> {
  return (await lintText('cap.yaml', text, await everyRule())).filter((f) => f.rule === rule);
}

describe('capstan lint rules', () => {
  it('every rule of the ruleset has a case here', () => {
    expect(new Set(CASES.map((c) => c.rule))).toEqual(new Set(RULE_NAMES));
  });

  it('the clean fixture trips no rule', async () => {
    expect(await lintText('cap.yaml', variant(), await everyRule())).toEqual([]);
  });

  for (const c of CASES) {
    it(`${c.rule}: trips on \`${c.line}\`${c.near ? ', not on a near miss' : ''}`, async () => {
      const text = variant(c.trip);
      const found = await findings(text, c.rule);
      expect(found.length).toBeGreaterThan(0);
      expect(text.split('\n')[found[0]!.line - 1]).toContain(c.line);
      if (c.near) expect(await findings(variant(c.near), c.rule)).toEqual([]);
    });
  }
});

describe('lint positions', () => {
  it('points at the same line and column as the YAML node, on a bundled spec', async () => {
    const text = readFileSync('specs/paragon-proxy.yaml', 'utf8');
    const found = await lintText('specs/paragon-proxy.yaml', text, await loadRuleset());
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) expect(text.split('\n')[f.line - 1]!.slice(f.column - 1)).toMatch(/^(mapping: \$\.|path: \/)/);
  });
});
