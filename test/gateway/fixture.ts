/**
 * The gateway suites' capability: a `registry` upstream (GET /ships, GET /ships/{imo}) served as
 * REST (`api`), MCP (`tools`) and a control adapter (`ops`). Parts vary so that reload tests can
 * rewrite the file: the tool description, extra tools, extra YAML at the end of the control adapter.
 */
export interface FleetOptions {
  /** Description of the `list-ships` tool. */
  description?: string;
  /** Also expose `get-ship` as a tool. */
  getShipTool?: boolean;
  /** Lines appended to the control adapter (indented 6), e.g. `observability:` settings. */
  control?: string;
  /** Also serve a skill catalog (`catalog`) listing the `list-ships` tool. */
  skill?: boolean;
  /** Also serve REST `GET /fleet-and-first`: two upstream calls (steps) for one request. */
  twoCalls?: boolean;
  /** Leave the control adapter out (and with it metrics: tracing alone observes upstream calls). */
  noControl?: boolean;
}

export function fleetYaml(options: FleetOptions = {}): string {
  return `naftiko: 1.0.0-alpha2
info:
  label: Fleet
  description: Ships over REST and MCP
capability:
  consumes:
    - type: http
      namespace: registry
      baseUri: http://127.0.0.1:9
      resources:
        - name: ships
          path: /ships
          operations:
            - name: list-ships
              method: GET
        - name: ship
          path: /ships/{{imo}}
          operations:
            - name: get-ship
              method: GET
  exposes:
    - type: rest
      namespace: api
      port: 8080
      resources:
        - path: /ships
          name: ships
          operations:
            - method: GET
              name: list-ships
              call: registry.list-ships
        - path: /ships/{imo}
          name: ship
          operations:
            - method: GET
              name: get-ship
              call: registry.get-ship
              with:
                imo: "{{imo}}"
${options.twoCalls ? `        - path: /fleet-and-first
          name: fleet-and-first
          operations:
            - method: GET
              name: fleet-and-first
              steps:
                - name: fleet
                  type: call
                  call: registry.list-ships
                - name: first
                  type: call
                  call: registry.get-ship
                  with:
                    imo: "9074729"
` : ''}    - type: mcp
      namespace: tools
      port: 9090
      tools:
        - name: list-ships
          description: ${options.description ?? 'List ships'}
          call: registry.list-ships
${options.getShipTool ? `        - name: get-ship
          description: One ship by IMO number
          inputParameters:
            - name: imo
              type: string
              required: true
              description: IMO number
          call: registry.get-ship
          with:
            imo: "{{imo}}"
` : ''}${options.skill ? `    - type: skill
      namespace: catalog
      port: 9200
      description: Fleet skills
      skills:
        - name: fleet
          description: Work with the fleet
          tools:
            - name: list-ships
              description: List ships
              from:
                sourceNamespace: tools
                action: list-ships
` : ''}${options.noControl ? '' : `    - type: control
      port: 9100
      management:
        health: true
        info: true
        reload: true
${options.control ?? ''}`}`;
}

/** Every adapter namespace of the fixture (for `--port NS=0`). */
export const FLEET_NAMESPACES = ['api', 'tools', 'control'];
