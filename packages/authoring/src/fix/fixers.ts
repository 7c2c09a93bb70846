/**
 * One fixer per de-facto form (the validator's `defacto-*` diagnostics, which carry the path of
 * the node): each plans the edits that turn the form into the official one, or says why it
 * cannot be done without changing what the capability serves.
 */
import { isScalar, isSeq, type Node, type Pair } from 'yaml';
import { compiledInput, requiresRestInput, type Compiled } from './compiled.js';
import { flowText, type YamlEditor } from './edits.js';
import { declareDerivedInputs } from './tool-inputs.js';
import { noOfficial } from './no-official.js';
import { restInputRequired } from './rest-required.js';
import { officialBody } from './body-form.js';


export type Path = (string | number)[];
/** Plans edits for one finding; returns why not when the form cannot be rewritten safely. */
export type Fixer = (editor: YamlEditor, path: Path, message: string, compiled: Compiled) => string | undefined;

/** The innermost mapping on `path` (the node itself or its parent) and the key the path ends in. */
export function owner(editor: YamlEditor, path: Path): { map: ReturnType<YamlEditor['mapAt']>; mapPath: Path; key?: string } {
  const own = editor.mapAt(path);
  if (own) return { map: own, mapPath: path };
  const key = path.at(-1);
  return { map: editor.mapAt(path.slice(0, -1)), mapPath: path.slice(0, -1), key: typeof key === 'string' ? key : undefined };
}

export const scalar = (editor: YamlEditor, path: Path, key: string): string | undefined => {
  const map = editor.mapAt(path);
  const v = map ? editor.pair(map, key)?.value : undefined;
  return isScalar(v) && v.value !== null ? String(v.value) : undefined;
};

/** `info.title` → `info.label`. */
const infoTitle: Fixer = (editor) => {
  const info = editor.mapAt(['info']);
  const title = info && editor.pair(info, 'title');
  if (!info || !title) return 'no `info.title` found';
  editor.renameKey(title, 'label');
  return undefined;
};

/** `info` without `description`: one is added after the label, from the label. */
const infoDescription: Fixer = (editor) => {
  const info = editor.mapAt(['info']);
  if (!info) return 'no `info` mapping found';
  const label = scalar(editor, ['info'], 'label') ?? scalar(editor, ['info'], 'title') ?? 'This capability';
  editor.insertKey(info, 'description', label.endsWith('.') ? label : `${label}.`, editor.pair(info, 'label') ?? editor.pair(info, 'title'));
  return undefined;
};

/** `description` on a `rest`/`control` adapter: removed (the official schema has none there). */
const exposeDescription: Fixer = (editor, path) => {
  const { map } = owner(editor, path);
  const pair = map && editor.pair(map, 'description');
  if (!map || !pair) return 'no `description` found on the adapter';
  editor.deleteKey(map, pair);
  return undefined;
};

/** `type`, `required`, `description` on a consumed input: removed (official: `name`, `in`, `value`). */
const consumedInputExtras: Fixer = (editor, path, _message, compiled) => {
  const { map, mapPath } = owner(editor, path);
  if (!map) return 'the consumed input parameter was not found';
  // `required: true` makes the REST input feeding it required (one required rule): dropping it
  // would change answers, and the official schema has no other way to say it. A REST path
  // placeholder is required anyway.
  const opPath = mapPath.slice(0, -2);
  const namespace = scalar(editor, opPath.slice(0, 3), 'namespace');
  const operation = opPath.at(-2) === 'operations' ? scalar(editor, opPath, 'name') : undefined;
  const name = scalar(editor, mapPath, 'name') ?? '';
  const keepsRequired = scalar(editor, mapPath, 'required') === 'true' && (!namespace || !operation || requiresRestInput(compiled, namespace, operation, name));
  // Input-less tools calling this operation derive their inputs from these keys: declare them first.
  const derived = declareDerivedInputs(editor, compiled, opPath);
  if (derived) return derived;
  for (const key of ['type', 'required', 'description']) {
    if (key === 'required' && keepsRequired) continue;
    const pair = editor.pair(map, key);
    if (pair) editor.deleteKey(map, pair);
  }
  return keepsRequired ? noOfficial('consumed-required', '`required: true` is kept: it makes the REST input that feeds it required, which no official form says') : undefined;
};

/** An exposed input without `description`: one is added after its name. */
const exposedInputDescription: Fixer = (editor, path) => {
  const map = editor.mapAt(path);
  if (!map) return 'the input parameter was not found';
  const name = scalar(editor, path, 'name') ?? 'input';
  const where = scalar(editor, path, 'in');
  editor.insertKey(map, 'description', `The ${name} ${where ? `${where} ` : ''}parameter.`, editor.pair(map, 'name'));
  return undefined;
};

/**
 * `type: object|array` + `mapping` without `properties`/`items`. A lone output that maps the
 * whole answer (`$` or `$.`) is removed: with no outputs the answer passes through unchanged,
 * which is what the form did. Any other mapping would need the shape of the upstream answer.
 */
const outputWithoutShape: Fixer = (editor, path) => {
  const outputPath = path.at(-1) === 'mapping' ? path.slice(0, -1) : path;
  const mapping = scalar(editor, outputPath, 'mapping')?.trim();
  const listPath = outputPath.slice(0, -1);
  const list = editor.doc.getIn(listPath, true);
  const unitPath = listPath.slice(0, -1);
  const unit = editor.mapAt(unitPath);
  if (listPath.at(-1) !== 'outputParameters' || !isSeq(list) || !unit) return noOfficial('unshaped-output', `a nested output without \`properties\`/\`items\` needs the shape of the upstream answer; declare it by hand`);
  if (list.items.length !== 1 || (mapping !== '$' && mapping !== '$.')) return noOfficial('unshaped-output', `an output mapping \`${mapping}\` without \`properties\`/\`items\` needs the shape of the upstream answer; declare it by hand`);
  // An array output wraps an answer that is not a list in one; without outputs it would pass as is.
  if (scalar(editor, outputPath, 'type') === 'array') return noOfficial('unshaped-output', 'a `type: array` pass-through wraps an answer that is not a list in one; saying that officially needs the shape of the upstream answer (`items`), declared by hand');
  const hasSteps = !!editor.pair(unit, 'steps');
  if (hasSteps) return noOfficial('unshaped-output', 'an orchestrated output needs its shape declared by hand');
  editor.deleteKey(unit, editor.pair(unit, 'outputParameters') as Pair<Node, Node | null>);
  return undefined;
};

/** The namespace of the adapter or aggregate that holds `path` (the scope of `with` references). */
export function scopeNamespace(editor: YamlEditor, path: Path): string | undefined {
  const i = path.findIndex((p, k) => k > 0 && (path[k - 1] === 'exposes' || path[k - 1] === 'aggregates') && typeof p === 'number');
  return i < 0 ? undefined : scalar(editor, path.slice(0, i + 1), 'namespace');
}

/** `with: { x: tools.x }` → the official `<namespace>.x`. */
const withPrefix: Fixer = (editor, path) => {
  const node = editor.doc.getIn(path, true);
  const ns = scopeNamespace(editor, path);
  if (!isScalar(node) || typeof node.value !== 'string' || !ns) return 'the `with` value or its adapter namespace was not found';
  editor.replaceValue(node, `${ns}.${node.value.slice(node.value.indexOf('.') + 1)}`);
  return undefined;
};

/**
 * A `with` reference to an undeclared input: the input Capstan implies today is declared on the
 * operation or tool, with the location, type and description Capstan gave it.
 */
const implicitInput: Fixer = (editor, path, message, compiled) => {
  const withAt = path.lastIndexOf('with');
  const node = editor.doc.getIn(path, true);
  const unitPath = path.slice(0, withAt);
  const unit = editor.mapAt(unitPath);
  if (withAt < 0 || !unit || !isScalar(node) || typeof node.value !== 'string') return 'the `with` value was not found';
  const name = node.value.slice(node.value.indexOf('.') + 1);
  const isTool = unitPath.at(-2) === 'tools';
  const implied = compiledInput(compiled, unitPath, name);
  const source = (implied && 'in' in implied ? implied.in : undefined) ?? /request (query|body|header|cookie|path)/.exec(message)?.[1] ?? 'query';
  const description = implied?.description ?? `The ${name} ${isTool ? 'input' : `${source} parameter`}.`;
  const item = { name, ...(isTool ? {} : { in: source }), type: implied?.type ?? 'string', description };
  editor.addListItem(unitPath, 'inputParameters', flowText(item));
  return undefined;
};

/** Fixers by de-facto code (the diagnostic code without `defacto-`). */
export const FIXERS: Record<string, Fixer> = {
  'info-title': infoTitle,
  'info-missing-description': infoDescription,
  'expose-description': exposeDescription,
  'consumed-input-extras': consumedInputExtras,
  'exposed-input-missing-description': exposedInputDescription,
  'output-mapping-without-shape': outputWithoutShape,
  'with-prefix': withPrefix,
  'implicit-input': implicitInput,
  'rest-input-required': restInputRequired,
  'body-type': officialBody,
  'body-parts-map': officialBody,
};

