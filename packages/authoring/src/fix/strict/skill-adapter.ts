/**
 * `fix --strict` for keys the official schema requires on exposed adapters and skill tools, where
 * Capstan runs without them: a missing `port` (Capstan listens on a free port), a skill adapter
 * without `skills` (an empty catalog), a skill tool without `from` (`capstan run` stops at it).
 */
import { isMap } from 'yaml';
import { flowText, type YamlEditor } from '../edits.js';
import { scalar, type Path } from '../fixers.js';
import type { Rewritten } from '../strict.js';
import { commentOutStrict } from './removed.js';

type Doc = { capability?: { exposes?: unknown } };
type Unit = { namespace: string; kind: 'tool' | 'operation'; name: string; call: string };

const exposes = (editor: YamlEditor): Array<Record<string, unknown>> => {
  const list = (editor.doc.toJS() as Doc)?.capability?.exposes;
  return (Array.isArray(list) ? list : []).filter((a): a is Record<string, unknown> => !!a && typeof a === 'object');
};

/** An adapter without `port` (or an MCP adapter with neither `port` nor `transport`): the next port after the file's highest. */
export function missingPort(editor: YamlEditor, path: Path): Rewritten | string {
  const map = editor.mapAt(path);
  const type = scalar(editor, path, 'type');
  const namespace = scalar(editor, path, 'namespace');
  if (!map || !type || !namespace || path.at(-2) !== 'exposes') return 'no exposed adapter found there';
  const used = exposes(editor).map((a) => a.port).filter((p): p is number => typeof p === 'number' && Number.isInteger(p));
  const port = used.length ? Math.max(...used) + 1 : 3000;
  if (port > 65535) return 'no port above the file\'s highest is free';
  editor.insertKey(map, 'port', port, editor.pair(map, 'namespace'));
  return { change: `the ${type} adapter \`${namespace}\` now listens on port ${port} (after the file's highest) instead of a free port chosen at start-up; \`--port ${namespace}=0\` still asks for a free one` };
}

/** A skill adapter without `skills`: Capstan served an empty catalog; the adapter is commented out. */
export function skilllessAdapter(editor: YamlEditor, path: Path): Rewritten | string {
  const namespace = scalar(editor, path, 'namespace');
  if (scalar(editor, path, 'type') !== 'skill' || !namespace) return 'not a skill adapter';
  const why = commentOutStrict(editor, path, 'required-key');
  return why ?? { change: `the skill adapter \`${namespace}\` is no longer served: it had no skills (its catalog answered \`GET /skills\` with none)` };
}

/** The REST operations and MCP tools of the file that `call` something, MCP tools first. */
function callingUnits(editor: YamlEditor): Unit[] {
  const units: Unit[] = [];
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  for (const a of exposes(editor)) {
    const namespace = str(a.namespace);
    if (!namespace) continue;
    const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object') : []);
    if (a.type === 'mcp') for (const t of list(a.tools)) if (str(t.name) && str(t.call)) units.push({ namespace, kind: 'tool', name: str(t.name)!, call: str(t.call)! });
    if (a.type === 'rest') for (const r of list(a.resources)) for (const o of list(r.operations)) if (str(o.name) && str(o.call)) units.push({ namespace, kind: 'operation', name: str(o.name)!, call: str(o.call)! });
  }
  return units.sort((x, y) => (x.kind === y.kind ? 0 : x.kind === 'tool' ? -1 : 1));
}

/**
 * A skill tool without `from` (nor `instruction`): `capstan run` stops at it. It gets the `from`
 * of a REST operation or MCP tool that makes its `call` (the same name first); without one it is
 * commented out.
 */
export function fromlessSkillTool(editor: YamlEditor, path: Path): Rewritten | string {
  const map = editor.mapAt(path);
  const name = scalar(editor, path, 'name');
  if (!map || !name || !path.includes('skills')) return 'no skill tool found there';
  const call = scalar(editor, path, 'call');
  const same = call ? callingUnits(editor).filter((u) => u.call === call) : [];
  const unit = same.find((u) => u.name === name) ?? same[0];
  const stopped = `\`capstan run\` no longer stops at the skill tool \`${name}\` (it needs \`from\` or \`instruction\`)`;
  if (!unit) {
    const why = commentOutStrict(editor, path, 'required-key');
    return why ?? { change: `${stopped}: it is left out of the catalog, since no REST operation or MCP tool of the file ${call ? `calls \`${call}\`` : 'stands for it'}; add one and point a \`from\` at it to list it again` };
  }
  if (!isMap(map)) return 'the skill tool is not a mapping';
  editor.insertKey(map, 'from', flowText({ sourceNamespace: unit.namespace, action: unit.name }), editor.pair(map, 'description') ?? editor.pair(map, 'name'), true);
  return { change: `${stopped}: the catalog lists it as derived from the ${unit.kind} \`${unit.name}\` of \`${unit.namespace}\`, which calls \`${unit.call}\`` };
}
