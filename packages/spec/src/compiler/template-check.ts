/** Every `{{name}}` in a template should name a bind variable, a parameter, an input or a step. */
import { closest } from '../suggest.js';
import { templateVariables } from '../templates.js';
import type { CompileContext } from './context.js';

export function checkTemplates(ctx: CompileContext): void {
  for (const { template, at: where } of ctx.templates) {
    for (const name of templateVariables(template)) {
      if (name.startsWith('$')) {
        ctx.report('warning', where, 'value', 'jsonpath-in-template', `\`{{${name}}}\` looks like JSONPath, but templates do not evaluate JSONPath; it renders empty`, {
          fix: `use a bare \`${name}\` as the mapping, or \`{{name}}\` of a parameter`,
        });
        continue;
      }
      const head = name.split('.')[0]!;
      if (ctx.knownNames.has(name) || ctx.knownNames.has(head)) continue;
      const suggestion = closest(name, ctx.knownNames);
      ctx.report('warning', where, 'value', 'unknown-template-variable', `\`{{${name}}}\` names no bind variable, parameter or step; it renders empty${suggestion ? ` — did you mean \`{{${suggestion}}}\`?` : ''}`, {
        fix: suggestion ? `write \`{{${suggestion}}}\`` : `declare \`${name}\` in a \`binds\` entry or as a parameter`,
      });
    }
  }
}
