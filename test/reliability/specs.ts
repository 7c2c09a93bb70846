/**
 * Capability documents used by the reliability suite. Every adapter listens on 127.0.0.1; the
 * consumed base URIs point at an unused loopback port and are replaced with `--upstream`.
 */

/** The one YAML document behind the fault, limit, hostile-input and secret suites. */
export function reliabilitySpec(options: { restAuth?: string; mcpAuth?: string; bindsExtra?: string } = {}): string {
  return `naftiko: 1.0.0-alpha2
info:
  label: Reliability
  description: Fault injection target for the reliability suite
binds:
  - namespace: env
    keys:
      UP_TOKEN: REL_UP_TOKEN
${options.bindsExtra ?? ''}capability:
  consumes:
    - type: http
      namespace: faulty
      baseUri: http://127.0.0.1:9/base
      authentication:
        type: bearer
        token: "{{UP_TOKEN}}"
      resources:
        - name: fault
          path: /fault/{{kind}}
          operations:
            - name: fault
              method: GET
    - type: http
      namespace: healthy
      baseUri: http://127.0.0.1:9/base
      authentication:
        type: bearer
        token: "{{UP_TOKEN}}"
      resources:
        - name: items
          path: /items/{{id}}/detail
          operations:
            - name: get-item
              method: GET
              inputParameters:
                - name: q
                  in: query
                - name: X-Trace
                  in: header
            - name: put-item
              method: PUT
              body:
                type: json
                data:
                  note: "{{note}}"
        - name: proxy
          path: /proxy/{{apiPath}}
          operations:
            - name: proxy-get
              method: GET
        - name: echo
          path: /echo
          operations:
            - name: echo-post
              method: POST
              inputParameters:
                - name: body
                  in: body
    - type: http
      namespace: dead
      baseUri: http://127.0.0.1:9/base
      resources:
        - name: anything
          path: /anything
          operations:
            - name: get-anything
              method: GET
  exposes:
    - type: rest
      namespace: api
      port: 8080
${options.restAuth ?? ''}      resources:
        - path: /faults/{kind}
          name: fault
          description: Calls the fault upstream
          operations:
            - method: GET
              name: fault
              description: One fault
              inputParameters:
                - name: kind
                  in: path
                  type: string
                  description: fault kind
              call: faulty.fault
              with:
                kind: api.kind
              outputParameters:
                - type: object
                  properties:
                    ok:
                      type: boolean
                      mapping: $.ok
        - path: /dead
          name: dead
          description: Calls a closed port
          operations:
            - method: GET
              name: dead
              description: Refused
              call: dead.get-anything
        - path: /items/{id}
          name: item
          description: One item
          operations:
            - method: GET
              name: get-item
              description: Get an item
              inputParameters:
                - name: id
                  in: path
                  type: string
                  description: item id
                - name: q
                  in: query
                  type: string
                  description: a query
                - name: X-Trace
                  in: header
                  type: string
                  description: a header
              call: healthy.get-item
              with:
                id: api.id
                q: api.q
                X-Trace: api.X-Trace
            - method: PUT
              name: put-item
              description: Put an item
              inputParameters:
                - name: id
                  in: path
                  type: string
                  description: item id
                - name: note
                  in: body
                  type: string
                  description: a note
              call: healthy.put-item
              with:
                id: api.id
                note: api.note
        - path: /proxy/{apiPath}
          name: proxy
          description: Multi-segment proxy
          operations:
            - method: GET
              name: proxy-get
              description: Proxy a GET
              inputParameters:
                - name: apiPath
                  in: path
                  type: string
                  description: sub-path
              call: healthy.proxy-get
              with:
                apiPath: api.apiPath
        - path: /echo
          name: echo
          description: Posts a body
          operations:
            - method: POST
              name: echo-post
              description: Echo a body
              inputParameters:
                - name: body
                  in: body
                  type: object
                  description: anything
              call: healthy.echo-post
              with:
                body: api.body
        - path: /fwd/{path}
          name: fwd
          description: Forwarded to the healthy upstream
          forward:
            targetNamespace: healthy
            trustedHeaders:
              - X-Trace
    - type: mcp
      namespace: tools
      address: 127.0.0.1
      port: 9090
${options.mcpAuth ?? ''}      description: Reliability tools
      tools:
        - name: fault
          description: One fault
          inputParameters:
            - name: kind
              type: string
              description: fault kind
          call: faulty.fault
          with:
            kind: tools.kind
          outputParameters:
            - type: object
              properties:
                ok:
                  type: boolean
                  mapping: $.ok
        - name: dead
          description: Refused
          call: dead.get-anything
        - name: get-item
          description: Get an item
          inputParameters:
            - name: id
              type: string
              description: item id
            - name: q
              type: string
              description: a query
              required: false
            - name: X-Trace
              type: string
              description: a header
              required: false
          call: healthy.get-item
          with:
            id: tools.id
            q: tools.q
            X-Trace: tools.X-Trace
        - name: put-item
          description: Put an item
          inputParameters:
            - name: id
              type: string
              description: item id
            - name: note
              type: string
              description: a note
          call: healthy.put-item
          with:
            id: tools.id
            note: tools.note
        - name: proxy-get
          description: Proxy a GET
          inputParameters:
            - name: apiPath
              type: string
              description: sub-path
          call: healthy.proxy-get
          with:
            apiPath: tools.apiPath
        - name: echo-post
          description: Echo a body
          inputParameters:
            - name: body
              type: object
              description: anything
          call: healthy.echo-post
          with:
            body: tools.body
`;
}

/** The adapter namespaces of `reliabilitySpec`. */
export const NAMESPACES = ['api', 'tools'];

/** The bind secret the reliability spec sends upstream as its bearer token. */
export const UP_TOKEN = 'rel-up-token-Zq81xv3Kp';
