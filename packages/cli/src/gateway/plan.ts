/**
 * Which adapter listens where: REST adapters that name the same host and port share one server
 * (their routes must not collide); skill, control and MCP adapters get a server each; stdio MCP
 * adapters need none. A port key stays the same across reloads while the file keeps the port, so
 * a reload finds the listener it can keep.
 */
import type { ControlAdapterNode, McpAdapterNode, RestAdapterNode, SkillAdapterNode } from '@capstan/spec';
import { routeClaims } from '@capstan/rest';
import { GatewayError, type GatewayOptions, type Loaded } from './types.js';

/** One adapter on a port, with the capability it belongs to. */
export type Mount =
  | { l: Loaded; adapter: RestAdapterNode }
  | { l: Loaded; adapter: SkillAdapterNode }
  | { l: Loaded; adapter: ControlAdapterNode }
  | { l: Loaded; adapter: McpAdapterNode };

/** A listening socket and what it serves. */
export interface PortPlan {
  key: string;
  host: string;
  port: number;
  kind: 'rest' | 'skill' | 'control' | 'mcp';
  mounts: Mount[];
}

/** The port plan of a set of capabilities; throws on a REST route collision. */
export function planPorts(loaded: Loaded[], options: GatewayOptions): PortPlan[] {
  const plans = new Map<string, PortPlan>();
  const defaults = { rest: '0.0.0.0', skill: '0.0.0.0', control: 'localhost', mcp: 'localhost' } as const;
  for (const l of loaded) {
    for (const adapter of l.graph.adapters) {
      if (adapter.type === 'mcp' && adapter.transport === 'stdio') continue;
      const host = options.host ?? adapter.address ?? defaults[adapter.type];
      const port = options.ports?.[adapter.namespace] ?? adapter.port ?? 0;
      // Only REST adapters share; port 0 means "any free port": such adapters never share.
      const shared = adapter.type === 'rest' && port !== 0;
      const key = `${adapter.type}|${host}|${port}${shared ? '' : `|${adapter.namespace}`}`;
      const plan = plans.get(key) ?? { key, host, port, kind: adapter.type, mounts: [] };
      if (adapter.type === 'rest') checkCollisions(plan, l, adapter, port);
      plan.mounts.push({ l, adapter } as Mount);
      plans.set(key, plan);
    }
  }
  return [...plans.values()];
}

function checkCollisions(plan: PortPlan, l: Loaded, adapter: RestAdapterNode, port: number): void {
  for (const other of plan.mounts) {
    if (other.adapter.type !== 'rest') continue;
    const theirs = routeClaims(other.adapter).filter((c) => c.path !== '/openapi.json');
    for (const claim of routeClaims(adapter)) {
      const clash = claim.shape === '/openapi.json' ? undefined : theirs.find((c) => c.method === claim.method && c.shape === claim.shape);
      if (clash) {
        throw new GatewayError(`route collision on port ${port}: ${claim.method} ${claim.path} of \`${adapter.namespace}\` (${l.file}) and ${clash.method} ${clash.path} of \`${other.adapter.namespace}\` (${other.l.file})`);
      }
    }
  }
}
