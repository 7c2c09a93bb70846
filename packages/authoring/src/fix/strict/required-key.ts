/**
 * `fix --strict` for `required-key`: a key the official schema requires that Capstan runs
 * without. Where what Capstan does without it is well defined, the key is written with that
 * (a `port`, a skill tool's `from`); otherwise the construct is commented out as a strict
 * removal, with what that changes.
 */
import type { Diagnostic } from '@capstan/spec';
import type { YamlEditor } from '../edits.js';
import { scalar, type Path } from '../fixers.js';
import type { Rewritten, StrictRewrite } from '../strict.js';
import { commentOutStrict } from './removed.js';
import { fromlessSkillTool, missingPort, skilllessAdapter } from './skill-adapter.js';
import { nameUnnamedOperation } from './duplicate-operation.js';

type Completion = (editor: YamlEditor, path: Path) => Rewritten | string | false;

/** Keys written from what Capstan does without them, by missing key. */
const COMPLETIONS: Record<string, Completion> = {
  port: missingPort,
  // An MCP adapter with neither `port` nor `transport` is served over HTTP on a free port.
  transport: (editor, path) => (scalar(editor, path, 'type') === 'mcp' && scalar(editor, path, 'port') === undefined ? missingPort(editor, path) : 'an MCP adapter with a port and no transport is already official'),
  skills: skilllessAdapter,
  from: fromlessSkillTool,
  // A consumed operation without `name`: named as its `id` says (duplicate-operation.ts).
  name: nameUnnamedOperation,
};

/** What commenting out a construct without `key` changes, by the list that holds it; undefined where removing it would change what is served in a way no line says (an input, a parameter). */
function removalEffect(editor: YamlEditor, path: Path, key: string): string | undefined {
  const list = path.at(-2);
  const name = scalar(editor, path, 'name') ?? scalar(editor, path, 'namespace') ?? scalar(editor, path, 'path');
  const named = name ? ` \`${name}\`` : '';
  if (list === 'operations' && path[1] === 'consumes') return `none in what is served: the consumed operation has no \`${key}\`, so nothing could call it`;
  if (list === 'tools' && key === 'call') return `the MCP tool${named} is no longer listed: without \`call\` it reached no upstream and answered with no data`;
  if (list === 'resources' && key === 'operations') return `the REST path${named} is no longer served: it had no operations`;
  if (list === 'exposes') return `the adapter${named} is no longer served: it had no \`${key}\``;
  if (list === 'consumes') return `none in what is served: Capstan does not read a consumed entry without \`${key}\``;
  return undefined;
}

export const requiredKeyOfficial: StrictRewrite = (editor, path, d: Diagnostic) => {
  const key = /missing required key `([^`]+)`/.exec(d.message)?.[1];
  if (!key) return 'not a missing key';
  const complete = COMPLETIONS[key];
  if (complete) {
    const done = complete(editor, path);
    // A missing `name` outside a consumed operation is removed like any other construct below.
    if (typeof done !== 'string' || (key !== 'transport' && key !== 'name')) return done;
  }
  if (typeof path.at(-1) !== 'number') return `no value Capstan derives for \`${key}\`, and the construct is not a list item that could be commented out`;
  const effect = removalEffect(editor, path, key);
  if (!effect) return `no value Capstan derives for \`${key}\` here, and commenting the construct out would change what is served`;
  return commentOutStrict(editor, path, 'required-key') ?? { change: effect };
};
