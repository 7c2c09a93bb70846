/**
 * A capability whose upstream holds calls open until the caller gives up, for the cancellation
 * tests: every `GET /hold/{n}` is recorded with whether its request was closed by the gateway
 * (the connection carrying it dropped) before an answer; `GET /quick` is answered at once.
 */
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { eventually } from '../helpers/wait.js';

/** The capability: an MCP adapter (Streamable HTTP, or stdio) and a REST adapter (not with stdio). */
export function heldYaml(transport: 'http' | 'stdio' = 'http'): string {
  const yaml = `naftiko: 1.0.0-alpha2
info:
  label: Held
  description: Tools whose upstream holds calls open
capability:
  consumes:
    - type: http
      namespace: held
      baseUri: http://127.0.0.1:9
      resources:
        - name: hold
          path: /hold/{{n}}
          operations:
            - name: hold
              method: GET
        - name: quick
          path: /quick
          operations:
            - name: quick
              method: GET
  exposes:
    - type: mcp
      namespace: held-tools
      transport: ${transport}
      description: Tools whose upstream holds calls open
      tools:
        - name: hold
          description: Calls an upstream that holds the call open until the caller gives up
          inputParameters:
            - name: n
              type: string
              description: Which call
          call: held.hold
          with:
            n: held-tools.n
        - name: quick
          description: Calls an upstream that answers at once
          call: held.quick
      resources:
        - name: held-card
          label: Held card
          uri: held://{n}
          description: A resource the holding upstream never answers
          call: held.hold
          with:
            n: held-tools.n
    - type: rest
      namespace: held-rest
      port: 3002
      resources:
        - name: hold
          path: /hold/{n}
          operations:
            - name: hold
              method: GET
              inputParameters:
                - name: n
                  in: path
                  type: string
              call: held.hold
              with:
                n: held-rest.n
        - name: quick
          path: /quick
          operations:
            - name: quick
              method: GET
              call: held.quick
`;
  return transport === 'stdio' ? yaml.slice(0, yaml.indexOf('    - type: rest')) : yaml;
}

/** One held call as the upstream saw it. */
export interface HeldCall {
  /** The gateway closed the request (its connection) before any answer. */
  closed: boolean;
}

/** The holding upstream. */
export interface HeldUpstream {
  upstream: Upstream;
  /** The call `n`, once the upstream has it. */
  calls: Map<string, HeldCall>;
  /** Resolves once the upstream has call `n`. */
  arrived(n: string): Promise<void>;
  /** Whether the gateway closed call `n` within `ms`. */
  closedWithin(n: string, ms?: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function startHeldUpstream(): Promise<HeldUpstream> {
  const calls = new Map<string, HeldCall>();
  const upstream = await startUpstream((req, res) => {
    if (req.url === '/quick') return json(res, 200, { quick: true });
    const n = /^\/hold\/(.+)$/.exec(req.url)?.[1];
    if (!n) return json(res, 404, { error: 'unknown path' });
    const call: HeldCall = { closed: false };
    calls.set(decodeURIComponent(n), call);
    res.on('close', () => {
      if (!res.writableFinished) call.closed = true;
    });
  });
  return {
    upstream,
    calls,
    async arrived(n) {
      if (!(await eventually(() => calls.has(n), 5_000))) throw new Error(`the upstream never got call ${n}`);
    },
    closedWithin: (n, ms = 3_000) => eventually(() => calls.get(n)?.closed === true, ms),
    close: () => upstream.close(),
  };
}
