/** The fleet capability used by the MCP tests, and its upstream. */
import type { ServerResponse } from 'node:http';
import { json, type Seen } from '../helpers/upstream.js';

export const FLEET_YAML = `naftiko: 1.0.0-alpha2
info:
  label: Fleet
  description: Fleet registry tools
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
              inputParameters:
                - name: status
                  in: query
                - name: include-deleted
                  in: query
        - name: ship
          path: /ships/{{imo}}
          operations:
            - name: get-ship
              method: GET
        - name: slow
          path: /slow
          operations:
            - name: slow
              method: GET
  exposes:
    - type: mcp
      namespace: fleet-tools
      port: 3001
      description: Tools for the fleet registry
      tools:
        - name: list-ships
          label: List ships
          description: List ships, optionally by status
          inputParameters:
            - name: status
              type: string
              description: Filter by status
              required: false
            - name: limit
              type: integer
              description: Most ships to return
              required: false
          hints:
            readOnly: true
            openWorld: false
          call: registry.list-ships
          with:
            status: fleet-tools.status
          outputParameters:
            - type: array
              mapping: $.ships
              items:
                type: object
                properties:
                  imo:
                    type: string
                    mapping: $.imo
                  name:
                    type: string
                    mapping: $.name
        - name: get-ship
          description: Retrieve a ship's details by IMO number
          inputParameters:
            - name: imo
              type: string
              description: IMO number
          call: registry.get-ship
          with:
            imo: fleet-tools.imo
          outputParameters:
            - type: object
              properties:
                imo:
                  type: string
                  mapping: $.imo
                name:
                  type: string
                  mapping: $.name
                tonnage:
                  type: number
                  mapping: $.specs.tonnage
        - name: get-ship-raw
          description: A ship as the registry sends it
          call: registry.get-ship
          with:
            imo: fleet-tools.imo
        - name: slow-call
          description: Calls an upstream that never answers
          call: registry.slow
      resources:
        - name: docs
          label: Docs
          uri: docs://fleet
          description: Fleet documentation
          location: file:///./docs
        - name: ship-card
          label: Ship card
          uri: ships://{imo}
          description: One ship
          call: registry.get-ship
          with:
            imo: fleet-tools.imo
      prompts:
        - name: summarize-ship
          label: Summarize a ship
          description: Asks for a summary of one ship
          arguments:
            - name: imo
              description: IMO number
            - name: tone
              description: Tone of the summary
              required: false
          template:
            - role: user
              content: "Summarize ship {{imo}} in a {{tone}} tone."
            - role: assistant
              content: "Looking up {{imo}}; {{unknown}} stays."
        - name: review
          label: Review
          description: Review prompt kept in a file
          location: file:///./prompts/review.md
          arguments:
            - name: topic
              description: What to review
`;

export const FLEET_FILES: Record<string, string> = {
  'docs/guide.md': '# Fleet guide\n',
  'docs/sub/data.json': '{"ok":true}\n',
  'prompts/review.md': 'Review {{topic}} carefully.',
  'secret.txt': 'do not leak',
};

export const NORTHERN_STAR = { imo: 'IMO-9321483', name: 'Northern Star', type: 'cargo', specs: { tonnage: 52000 } };

/** The registry upstream. `/slow` accepts the request and never answers. */
export function fleetUpstream(req: Seen, res: ServerResponse): void {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/ships') {
    const ships = [
      { imo: 'IMO-9321483', name: 'Northern Star', status: 'active' },
      { imo: 'IMO-9100001', name: 'Old Tern', status: 'retired' },
    ];
    const status = url.searchParams.get('status');
    json(res, 200, { ships: status ? ships.filter((s) => s.status === status) : ships });
    return;
  }
  if (url.pathname === '/ships/IMO-9321483') return json(res, 200, NORTHERN_STAR);
  if (url.pathname === '/ships/IMO-404') return json(res, 404, { error: 'ship not found' });
  if (url.pathname === '/ships/IMO-500') {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('registry exploded');
    return;
  }
  if (url.pathname === '/slow') return; // accept, then hang
  json(res, 404, { error: 'no route' });
}
