/**
 * Fixers for findings that are not `defacto-*` forms but still fail `--strict`: schema findings
 * (unknown keys, missing keys with a default, empty lists) and inputs Capstan binds loosely. Each
 * writes the official form of what Capstan does with the construct today, so answers stay the
 * same; the rest say why no official form serves the same.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { compiledInput } from './compiled.js';
import { namedOutputsToObject } from './named-outputs.js';
import { unreadWithKey } from './unread-with.js';
import { noOfficial } from './no-official.js';
import { owner, scalar, scopeNamespace, type Fixer, type Path } from './fixers.js';

/** The note above an unknown key `fix` comments out. */
export const UNKNOWN_KEY_NOTE = 'unknown key, ignored (capstan fix)';

const quoted = (message: string, after: string): string | undefined => new RegExp(`${after} \`([^\`]+)\``).exec(message)?.[1];

/** An unknown key: Capstan and the reference engine ignore it, so it becomes a comment where it was. */
const unknownKey: Fixer = (editor, path) => {
  const key = path.at(-1);
  const map = editor.mapAt(path.slice(0, -1));
  const pair = map && typeof key === 'string' ? editor.pair(map, key) : undefined;
  if (!map || !pair) return 'the unknown key was not found';
  // A skill's call, inputs, outputs and hints: Capstan ignores them (the skill catalog reads only
  // `from` and `instruction`), but they say what the author meant the skill to do, so they stay.
  if (path.includes('skills')) return noOfficial('skill-calls', 'Capstan ignores this key of a skill (the de-facto skill form that calls operations directly; the skill catalog reads only `from` and `instruction`); an official skill tool points at an MCP tool that makes the call (`from`), which is for the author to write');
  // Keys the schema does not know but Capstan reads: removing them would change what is served.
  if ((key === 'mapping' || key === 'value') && path.includes('outputParameters')) return 'Capstan reads this output value; the official form depends on the adapter and is not written by `fix` yet';
  const outputs = editor.doc.getIn(path.slice(0, -2), true);
  if (key === 'name' && path.at(-3) === 'outputParameters' && isSeq(outputs) && outputs.items.length > 1) return namedOutputsToObject(editor, path);
  editor.commentOutKey(map, pair, UNKNOWN_KEY_NOTE);
  return undefined;
};

/** An empty list where the schema wants one item or more: Capstan reads it as absent, so it goes. */
const emptyList: Fixer = (editor, path) => {
  const { map, key } = owner(editor, path);
  const pair = map && key ? editor.pair(map, key) : undefined;
  if (!map || !pair || !isSeq(pair.value) || pair.value.items.length) return 'no empty list found';
  editor.deleteKey(map, pair);
  return undefined;
};

/**
 * A missing key with a value Capstan already derives, written out: an input's `type` and a REST
 * input's `in` as compiled (`string`; the query for GET, HEAD and DELETE, the body otherwise).
 */
const missingKey: Fixer = (editor, path, message, compiled) => {
  const key = quoted(message, 'missing required key');
  const map = editor.mapAt(path);
  const name = scalar(editor, path, 'name');
  if (!map || !key) return 'the mapping missing the key was not found';
  // A tool's description is documentation: one is written from its label or name.
  if (key === 'description' && name !== undefined && path.at(-2) === 'tools') {
    const label = scalar(editor, path, 'label') ?? name.replace(/[-_]+/g, ' ');
    editor.insertKey(map, 'description', label.endsWith('.') ? label : `${label}.`, editor.pair(map, 'label') ?? editor.pair(map, 'name'));
    return undefined;
  }
  const derived = path.at(-2) === 'inputParameters' && name !== undefined ? compiledInput(compiled, path.slice(0, -2), name) : undefined;
  const value = key === 'type' ? derived?.type : key === 'in' && derived && 'in' in derived ? derived.in : undefined;
  if (typeof value !== 'string') return NO_DEFAULT;
  editor.insertKey(map, key, value, editor.pair(map, key === 'type' ? 'in' : 'name') ?? editor.pair(map, 'name'));
  return undefined;
};

const NO_DEFAULT = noOfficial('required-key', 'the official schema requires this key and Capstan runs without it; any value written would change what is served');

/**
 * An input bound across a case/`-`/`_` difference. A `with` value is respelled as the declared
 * input; a path placeholder Capstan fills from a loosely matching input gets the `with` entry
 * Capstan adds today (`with: {placeholder: <namespace>.<input>}`).
 */
const caseMismatch: Fixer = (editor, path, message) => {
  const ns = scopeNamespace(editor, path);
  const declared = quoted(message, 'refers to input');
  const node = editor.doc.getIn(path, true);
  if (declared && ns && isScalar(node) && path.at(-2) === 'with') {
    editor.replaceValue(node, `${ns}.${declared}`);
    return undefined;
  }
  const placeholder = quoted(message, 'needs');
  const input = quoted(message, 'binds it to the input');
  const opPath: Path = path.slice(0, -1);
  const op = editor.mapAt(opPath);
  if (path.at(-1) !== 'call' || !op || !ns || !placeholder || !input) return noOfficial('name-as-written', "a path parameter's name is part of the served API; respell it and its placeholder by hand");
  const withNode = editor.pair(op, 'with')?.value;
  if (withNode && !isMap(withNode)) return 'the `with` of this operation is not a mapping';
  editor.addMapEntry(opPath, 'with', placeholder, `${ns}.${input}`, 'call');
  return undefined;
};

/**
 * A name outside its pattern. A consumed resource's name only labels the resource (calls name
 * operations), so it is respelled in kebab case; other names are sent upstream or served.
 */
const badFormat: Fixer = (editor, path, message) => {
  const node = editor.doc.getIn(path, true);
  const labelOnly = path.length === 6 && path[1] === 'consumes' && path[3] === 'resources' && path[5] === 'name';
  if (path.at(-1) === 'baseUri') return noOfficial('value-read', 'Capstan keeps this base URI as written (its requests fail until it is a URL); the official schema wants an http(s) URL: write the API\'s');
  if (!labelOnly || !isScalar(node) || typeof node.value !== 'string' || !message.includes('letters, digits and hyphens only')) {
    return noOfficial('name-as-written', 'this name is sent upstream or served as written; respelling it would change requests or the served API');
  }
  editor.replaceValue(node, node.value.replace(/[^a-zA-Z0-9-]+/g, '-').replace(/^-+|-+$/g, ''));
  return undefined;
};

/** Fixers by diagnostic code, for codes outside `defacto-*`. */
export const SCHEMA_FIXERS: Record<string, Fixer> = {
  'unknown-key': unknownKey,
  'too-few-items': emptyList,
  'missing-key': missingKey,
  'input-case-mismatch': caseMismatch,
  'bad-format': badFormat,
  'unknown-with-key': unreadWithKey,
};
