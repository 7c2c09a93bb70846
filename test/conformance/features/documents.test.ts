/**
 * Conformance rows 2, 11 and 85 of docs/conformance.md, and the long-tool-name warning: the two
 * root shapes, import locations written as `file:///./` URIs, and a trailing `/` on `baseUri`.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec } from '@capstan/spec';
import { Executor } from '@capstan/runtime';
import { startUpstream, type Upstream } from '../../helpers/upstream.js';
import { graphOf, handlerOf } from '../../executor/helpers.js';
import { runCli } from '../../helpers/cli.js';
import { importingCapability, registryEntry, REGISTRY_CONSUMES } from '../../helpers/fixtures.js';
import { tempSpec, tempSpecDir } from '../../helpers/tmp.js';

const SHARED = REGISTRY_CONSUMES;
const CAPABILITY = (location: string) => importingCapability(location);

/** The same capability with the registry declared inline instead of imported. */
const INLINE = CAPABILITY('./shared/registry.yaml').replace(/  consumes:[\s\S]*?as: fleet\n/, `  consumes:\n${registryEntry(4, 'fleet')}`);

let server: Upstream;
beforeAll(async () => {
  server = await startUpstream();
});
afterAll(async () => {
  await server.close();
});

describe('documents', () => {
  it('a shared consumes file checks on its own and is only imported; a root holding both `capability` and `consumes` runs the capability (warning; refused under --strict)', () => {
    const dir = tempSpecDir({ 'shared/registry.yaml': SHARED });
    const shared = checkSpec(join(dir, 'shared/registry.yaml'));
    expect(shared.diagnostics).toEqual([]);
    expect(shared.loaded.kind).toBe('consumes');
    const run = runCli(['run', join(dir, 'shared/registry.yaml')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no capability document among the files given (shared consumes files are only imported)');
    expect(checkSpec(tempSpec(INLINE)).diagnostics).toEqual([]);
    const bothFile = tempSpec(INLINE + SHARED.replace('naftiko: 1.0.0-alpha2\n', ''));
    const both = checkSpec(bothFile);
    expect(both.graph).toBeDefined();
    expect(both.diagnostics).toMatchObject([{ severity: 'warning', code: 'ambiguous-form' }]);
    const strict = checkSpec(bothFile, { strict: true });
    expect(strict.graph).toBeUndefined();
    expect(strict.diagnostics).toMatchObject([{ severity: 'error', code: 'ambiguous-form' }]);
  });

  it('an import `location` may be a relative path or a `file:///./` URI, both resolved against the capability file', () => {
    for (const location of ['./shared/registry.yaml', 'file:///./shared/registry.yaml']) {
      const dir = tempSpecDir({ 'shared/registry.yaml': SHARED, 'cap.yaml': CAPABILITY(location) });
      const result = checkSpec(join(dir, 'cap.yaml'));
      expect(result.diagnostics, location).toEqual([]);
      expect([...result.graph!.consumes.get('fleet')!.operations.keys()]).toEqual(['list-ships']);
    }
  });

  it('a trailing `/` on `baseUri` is a warning naming the fix (not a load failure), and requests get no double slash', async () => {
    const { graph, dir } = graphOf(`capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "${server.url}/base/"
      resources:
        - name: items
          path: /items
          operations:
            - name: list
              method: GET
  exposes:
    - type: mcp
      port: 3001
      namespace: tools
      tools:
        - name: list
          description: d
          call: up.list
`);
    const diagnostics = checkSpec(join(dir, 'cap.yaml')).diagnostics;
    expect(diagnostics).toMatchObject([{ severity: 'warning', code: 'baseuri-trailing-slash', fix: `write \`${server.url}/base\`` }]);
    expect(checkSpec(join(dir, 'cap.yaml'), { strict: true }).diagnostics).toMatchObject([{ severity: 'error', code: 'baseuri-trailing-slash' }]);
    const exec = await Executor.create(graph, { env: {} });
    try {
      await exec.run(handlerOf(graph, 'list'), { inputs: {} });
      expect(server.seen.at(-1)!.url).toBe('/base/items');
    } finally {
      await exec.close();
    }
  });

  it('a query string in a consumed resource path and a trailing `/` on an exposed REST path are warnings (lint rules built in)', () => {
    const text = INLINE.replace('          path: /ships\n', '          path: /ships?limit=10\n').replace(`  exposes:
`, `  exposes:
    - type: rest
      namespace: fleet-rest
      port: 8080
      resources:
        - path: /ships/
          name: ships
          operations:
            - method: GET
              name: list-ships
              call: fleet.list-ships
`);
    expect(checkSpec(tempSpec(text)).diagnostics).toMatchObject([
      { severity: 'warning', code: 'query-in-path' },
      { severity: 'warning', code: 'path-trailing-slash', fix: 'write `/ships`' },
    ]);
  });

  it('a tool name longer than 64 characters is a warning (MCP clients reject such names)', () => {
    const long = 'a'.repeat(65);
    const diagnostics = checkSpec(tempSpec(INLINE.replace('- name: list-ships\n          description', `- name: ${long}\n          description`))).diagnostics;
    expect(diagnostics).toMatchObject([{ severity: 'warning', code: 'tool-name-too-long', message: `tool name \`${long}\` has 65 characters; MCP clients reject names longer than 64` }]);
  });
});
