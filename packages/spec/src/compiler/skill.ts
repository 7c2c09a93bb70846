/** Skill adapters: each tool `from: {sourceNamespace, action}` must name a sibling REST operation or MCP tool. */
import type { AdapterNode, McpAdapterNode, RestAdapterNode } from '../graph.js';
import { closest, quoteList } from '../suggest.js';
import { at, child, type CompileContext } from './context.js';
import { isObj, sections, text, type SkillToolSection } from './document.js';

export function checkSkills(ctx: CompileContext, adapters: AdapterNode[], exposeIndex: readonly number[]): void {
  adapters.forEach((adapter, a) => {
    if (adapter.type !== 'skill') return;
    adapter.skills.forEach((skill, s) => {
      for (const [tool, t] of sections<SkillToolSection>(skill.tools)) {
        if (!isObj(tool.from)) continue;
        const fromAt = at(ctx.doc, ['capability', 'exposes', exposeIndex[a]!, 'skills', s, 'tools', t, 'from']);
        const sourceNs = text(tool.from.sourceNamespace);
        const target = adapters.find((x): x is RestAdapterNode | McpAdapterNode => x.namespace === sourceNs && (x.type === 'rest' || x.type === 'mcp'));
        if (!target) {
          const candidates = adapters.filter((x) => x.type === 'rest' || x.type === 'mcp').map((x) => x.namespace);
          const suggestion = closest(sourceNs, candidates);
          ctx.report('error', child(fromAt, 'sourceNamespace'), 'value', 'unknown-skill-source', `\`sourceNamespace: ${sourceNs}\` names no sibling rest or mcp adapter${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
            expected: candidates.length ? `one of ${quoteList(candidates)}` : 'the namespace of a rest or mcp adapter of this capability',
          });
          continue;
        }
        const action = text(tool.from.action);
        const actions = target.type === 'mcp' ? target.tools.map((x) => x.name) : target.resources.flatMap((r) => r.operations.flatMap((o) => (o.name ? [o.name] : [])));
        if (!actions.includes(action)) {
          const suggestion = closest(action, actions);
          ctx.report('error', child(fromAt, 'action'), 'value', 'unknown-skill-action', `\`action: ${action}\` is not a ${target.type === 'mcp' ? 'tool' : 'operation'} of \`${sourceNs}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
            expected: `one of ${quoteList(actions)}`,
          });
        }
      }
    });
  });
}
