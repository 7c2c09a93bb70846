/** Adapters of one capability must not listen on the same port of overlapping addresses. */
import type { AdapterNode } from '../graph.js';
import { at, type CompileContext } from './context.js';

export function checkPorts(ctx: CompileContext, adapters: AdapterNode[], exposeIndex: readonly number[]): void {
  const bound: Array<{ adapter: AdapterNode; port: number; host: string }> = [];
  adapters.forEach((adapter, index) => {
    if (adapter.type === 'mcp' && adapter.transport === 'stdio') return;
    const port = adapter.port;
    if (port === undefined) return;
    const host = adapter.address ?? (adapter.type === 'mcp' || adapter.type === 'control' ? 'localhost' : '0.0.0.0');
    const wildcard = (h: string) => h === '0.0.0.0' || h === '::';
    const clash = bound.find((b) => b.port === port && (b.host === host || wildcard(b.host) || wildcard(host)));
    if (clash) {
      ctx.report('error', at(ctx.doc, ['capability', 'exposes', exposeIndex[index]!, 'port']), 'value', 'port-collision', `port ${port} is already used by the ${clash.adapter.type} adapter \`${clash.adapter.namespace}\` (line ${clash.adapter.origin.line})`, {
        fix: 'give each adapter of a capability its own port',
      });
    }
    bound.push({ adapter, port, host });
  });
}
