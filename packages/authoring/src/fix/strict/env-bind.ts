/**
 * A `{{VAR}}` credential in a consumed `authentication` that no bind declares rendered empty: the
 * nearest official form reads it from the environment variable of that name, through a `binds`
 * entry without `location` (a new key of an existing one, else a new entry). The value is never
 * written anywhere: only the variable's name.
 */
import { isMap, isSeq } from 'yaml';
import type { YamlEditor } from '../edits.js';
import type { Path } from '../fixers.js';
import type { StrictRewrite } from '../strict.js';

/** The official pattern of a bind variable name. */
export const isBindVariable = (name: string): boolean => /^[A-Z][A-Z0-9_]*$/.test(name);

/** Editors that plan a new `binds` entry this pass: other variables join it on the next pass. */
const creating = new WeakSet<YamlEditor>();

/** The path of the first bind read from the environment (no `location`), root ones first. */
function environmentBind(editor: YamlEditor): Path | undefined {
  for (const at of [['binds'], ['capability', 'binds']] as Path[]) {
    const seq = editor.doc.getIn(at, true);
    if (!isSeq(seq)) continue;
    const i = seq.items.findIndex((b) => isMap(b) && !b.has('location') && isMap(b.get('keys', true)));
    if (i >= 0) return [...at, i];
  }
  return undefined;
}

/** A namespace no consumed API, adapter, aggregate or bind uses. */
function freeNamespace(editor: YamlEditor): string {
  const used = new Set<string>();
  for (const at of [['binds'], ['consumes'], ['capability', 'binds'], ['capability', 'consumes'], ['capability', 'exposes'], ['capability', 'aggregates']] as Path[]) {
    const seq = editor.doc.getIn(at, true);
    if (isSeq(seq)) for (const item of seq.items) if (isMap(item)) used.add(String(item.get('namespace')));
  }
  for (let i = 1; ; i++) {
    const name = i === 1 ? 'env' : `env-${i}`;
    if (!used.has(name)) return name;
  }
}

/** Declares `variable` as read from the environment variable of the same name. */
export function bindFromEnvironment(editor: YamlEditor, variable: string): ReturnType<StrictRewrite> {
  const existing = environmentBind(editor);
  let namespace: string;
  if (existing) {
    namespace = String(editor.doc.getIn([...existing, 'namespace']));
    editor.addMapEntry(existing, 'keys', variable, variable);
  } else {
    if (creating.has(editor)) return false; // joins the entry planned this pass, on the next pass
    creating.add(editor);
    namespace = freeNamespace(editor);
    editor.addListItem([], 'binds', `{ namespace: ${namespace}, description: Credentials read from the process environment., keys: { ${variable}: ${variable} } }`);
  }
  return {
    change: `\`{{${variable}}}\` is now read from the environment variable \`${variable}\` (bind \`${namespace}\`): requests carry its value where the credential rendered empty (and was left out), and \`capstan run\` stops at start-up while it is unset (set it, or give it with \`--env-file\`)`,
  };
}
