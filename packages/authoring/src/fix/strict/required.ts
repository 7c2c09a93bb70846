/**
 * `fix --strict` for `consumed-required` and `rest-required`: alpha2 has no `required` on a
 * consumed parameter nor on a REST input (the reference engine ignores both), so the nearest
 * official form drops it. Valid calls answer the same; a REST call without the input reaches the
 * upstream instead of a 400, and OpenAPI shows the input optional. MCP tool inputs keep their own
 * official `required`: a tool that declares no inputs gets the ones it derives written out first
 * (the `consumed-input-extras` fixer does that in the same pass).
 */
import type { Compiled } from '../compiled.js';
import { scalar, type Path } from '../fixers.js';
import type { StrictRewrite } from '../strict.js';
import { derivesOfficially, writeDerivedInputs } from '../tool-inputs.js';
import { callerName, callersOf } from './callers.js';

/** Deletes the `required` key of the mapping at `mapPath`; false when there is none. */
function dropRequired(editor: Parameters<StrictRewrite>[0], mapPath: Path): boolean {
  const map = editor.mapAt(mapPath);
  const pair = map && editor.pair(map, 'required');
  if (!map || !pair) return false;
  editor.deleteKey(map, pair);
  return true;
}

/** The REST operations (`METHOD /path`) whose input feeding consumed parameter `param` is required by it. */
function restOperationsFeeding(compiled: Compiled, namespace: string, operation: string | undefined, param: string): string[] {
  const out: string[] = [];
  for (const adapter of compiled.graph?.adapters ?? []) {
    if (adapter.type !== 'rest') continue;
    for (const res of adapter.resources) {
      for (const op of res.operations) {
        const h = op.handler;
        if (h.kind !== 'call' || h.operation.namespace !== namespace || (operation !== undefined && h.operation.name !== operation)) continue;
        const w = h.with[param];
        const input = !w ? param : w.from === 'input' ? w.name : undefined;
        const fed = input === undefined ? undefined : [...op.inputParameters, ...res.inputParameters].find((p) => p.name === input);
        if (fed && fed.in !== 'path') out.push(`\`${op.method} ${res.path}\` (\`${fed.name}\`)`);
      }
    }
  }
  return out;
}

/** `required: true` on a consumed parameter: dropped; the REST inputs it made required become optional. */
export const consumedRequired: StrictRewrite = (editor, path, _d, compiled) => {
  const paramPath = typeof path.at(-1) === 'string' ? path.slice(0, -1) : path;
  const name = scalar(editor, paramPath, 'name') ?? 'the parameter';
  const namespace = scalar(editor, paramPath.slice(0, 3), 'namespace') ?? '';
  const opPath = paramPath.slice(0, -2);
  const operation = opPath.at(-2) === 'operations' ? scalar(editor, opPath, 'name') : undefined;
  const fed = restOperationsFeeding(compiled, namespace, operation, name);
  // Tools declaring no inputs derive `required` from this parameter: their inputs are written out first.
  const resourceAt = paramPath.indexOf('resources');
  const resource = resourceAt > 0 ? scalar(editor, paramPath.slice(0, resourceAt + 2), 'name') : undefined;
  const callers = resource || operation ? callersOf(editor, compiled, { namespace, ...(resource ? { resource } : {}), ...(operation ? { operation } : {}) }) : []; // API-level parameters derive nothing
  const inputless = callers.filter((c) => c.kind === 'tool' && !c.node.inputParameters.length);
  const stuck = inputless.find((c) => c.kind === 'tool' && !derivesOfficially(c.node));
  if (stuck) return `${callerName(stuck)} derives an \`integer\` input from it, which official tool inputs cannot say`;
  if (!editor.mapAt(paramPath) || !editor.pair(editor.mapAt(paramPath)!, 'required')) return 'no `required` found on the consumed parameter';
  for (const c of inputless) if (c.kind === 'tool') writeDerivedInputs(editor, c.path, c.node);
  dropRequired(editor, paramPath);
  const where = fed.length ? `the REST input that feeds it on ${fed.join(', ')} is no longer required` : 'the REST inputs that feed it are no longer required';
  return { change: `\`required: true\` on consumed parameter \`${name}\` is dropped: ${where}, so a REST call without it reaches the upstream instead of a 400 and OpenAPI shows it optional; valid calls answer the same, MCP tool inputs keep their own \`required\`` };
};

/** `required: true` on a REST input: dropped; the input becomes optional. */
export const restRequired: StrictRewrite = (editor, path) => {
  const inputPath = path.at(-1) === 'required' ? path.slice(0, -1) : path;
  const name = scalar(editor, inputPath, 'name') ?? 'the input';
  if (!dropRequired(editor, inputPath)) return 'no `required` found on the REST input';
  return { change: `REST input \`${name}\` is no longer required: a call without it reaches the upstream instead of a 400, and OpenAPI shows it optional; valid calls answer the same` };
};
