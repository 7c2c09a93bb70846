/** Capability YAML shared by several suites. */

/** The `registry` API as one consumes entry (`ships` resource, `list-ships` = GET /ships), every line indented by `indent`. */
export function registryEntry(indent: number, namespace = 'registry'): string {
  const entry = `- type: http
  namespace: ${namespace}
  baseUri: http://127.0.0.1:9
  resources:
    - name: ships
      path: /ships
      operations:
        - name: list-ships
          method: GET
`;
  return entry.split('\n').map((line) => (line ? ' '.repeat(indent) + line : line)).join('\n');
}

/** A consumes-only document (kept as `shared/registry.yaml`) declaring the `registry` API. */
export const REGISTRY_CONSUMES = `naftiko: 1.0.0-alpha2
consumes:
${registryEntry(2)}`;

/**
 * A capability importing REGISTRY_CONSUMES from `location` (line 7), with `importLines` after it
 * (lines 8-9 by default: `import: registry`, `as: fleet`), and one MCP tool calling `fleet.list-ships`.
 */
export const importingCapability = (location: string, importLines = '      import: registry\n      as: fleet') => `naftiko: 1.0.0-alpha2
info:
  label: Fleet
  description: Imports the registry
capability:
  consumes:
    - location: ${location}
${importLines}
  exposes:
    - type: mcp
      namespace: tools
      port: 3001
      tools:
        - name: list-ships
          description: List ships
          call: fleet.list-ships
`;
