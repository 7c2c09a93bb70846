/**
 * `fix --strict` for `value-read`: a value outside the official type or list that Capstan reads.
 * - `method: HEAD`/`OPTIONS`: `GET`. An exposed REST operation then answers GET too (a GET
 *   route answers HEAD as before); a consumed operation sends GET upstream instead.
 * - a hint that is not a boolean (`readOnly: f`): Capstan sends no MCP annotation for it, so it is
 *   commented out and the tool is served the same.
 * - a parameter `in` outside the official list (`in: que`): Capstan sends such a parameter
 *   nowhere, so it is commented out.
 */
import { isScalar } from 'yaml';
import type { StrictRewrite } from '../strict.js';
import { scalar } from '../fixers.js';
import { commentOutStrict } from './removed.js';

const HINTS = new Set(['readOnly', 'destructive', 'idempotent', 'openWorld']);

export const valueReadOfficial: StrictRewrite = (editor, path) => {
  const key = path.at(-1);
  const node = editor.doc.getIn(path, true);
  if (!isScalar(node)) return 'no value found there';
  const value = String(node.value);
  if (key === 'method' && /^(HEAD|OPTIONS)$/i.test(value)) {
    const consumed = path[1] === 'consumes';
    const siblings = editor.doc.getIn(path.slice(0, -2)) as { items?: Array<{ get?: (k: string) => unknown }> } | undefined;
    const get = consumed ? undefined : (siblings?.items ?? []).find((op) => String(op.get?.('method') ?? '').toUpperCase() === 'GET');
    if (get) {
      // The GET operation's route answers HEAD once this one is gone (headers only).
      const why = commentOutStrict(editor, path.slice(0, -1), 'value-read');
      return why ?? { change: `${value} requests are answered by the GET operation \`${String(get.get?.('name') ?? 'GET')}\` (its upstream call, headers only) instead of this operation's${value === 'OPTIONS' ? '; OPTIONS is no longer served' : ''}` };
    }
    editor.replaceValue(node, 'GET');
    return consumed
      ? { change: `the upstream now receives GET instead of ${value}: the answer carries a body, which the outputs map; keep ${value} with plain \`capstan fix\`` }
      : { change: `the REST operation now answers GET as well as ${value === 'HEAD' ? 'HEAD (with the GET answer\'s headers)' : `no longer OPTIONS (OPTIONS gets 404/405)`}; the OpenAPI document lists it as GET` };
  }
  if (typeof key === 'string' && HINTS.has(key) && path.at(-2) === 'hints') {
    return commentOutStrict(editor, path, 'value-read') ?? { change: `none in what is served: a \`${key}\` that is not a boolean is sent as no MCP annotation; write \`${key}: true\` or \`false\` to send one` };
  }
  if (key === 'in' && path.at(-3) === 'inputParameters') {
    const name = scalar(editor, path.slice(0, -1), 'name') ?? '?';
    return commentOutStrict(editor, path.slice(0, -1), 'value-read') ?? { change: `none in the requests: the parameter \`${name}\` with \`in: ${value}\` was sent nowhere; a tool that derives its inputs from this operation no longer lists it (write an official \`in\`, e.g. \`query\`, to send it)` };
  }
  if (key === 'baseUri' && value.trim() === '') {
    // No host to write: a host variable nothing binds keeps `capstan run` stopping until one is given.
    const namespace = scalar(editor, path.slice(0, -1), 'namespace') ?? 'api';
    const variable = `${namespace.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_HOST`;
    editor.replaceValue(node, `https://{{${variable}}}`);
    return { change: `\`capstan run\` still stops at start-up until the upstream of \`${namespace}\` is given, as with the empty base URI: pass \`--upstream ${namespace}=URL\`, or declare a bind \`${variable}\` holding its host` };
  }
  return `no official value says what Capstan does with \`${String(key)}: ${value}\``;
};
