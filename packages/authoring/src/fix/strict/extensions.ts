/**
 * `fix --strict` for Capstan extensions (`x-capstan-*`, `resiliency`, `cacheControl`, the strict
 * check's `capstan-extension` findings): alpha2 has no key for them and the reference engine
 * ignores them, so each is commented out as a strict removal, with what is lost and, where the
 * same setting can live outside the file (a `capstan run` flag), where.
 */
import { isScalar, isSeq } from 'yaml';
import type { YamlEditor } from '../edits.js';
import { scalar, type Path } from '../fixers.js';
import type { StrictRewrite } from '../strict.js';
import { commentOutStrict, strictRemovalNote } from './removed.js';

const KIND = 'capstan-extension';

/** Keys whose literal value is a secret: the comment keeps the key, never the value. */
const SECRET_KEYS = new Set(['x-capstan-clientSecret', 'x-capstan-refreshToken']);

/** What the adapter, API, operation or input that holds the key is, for the change text. */
function owner(editor: YamlEditor, path: Path): string {
  const at = path.slice(0, -1);
  const name = scalar(editor, at, 'name') ?? scalar(editor, at, 'namespace');
  if (at.length === 1) return 'the capability';
  const container = at.at(-2);
  if (container === 'inputParameters') return `input \`${name}\``;
  if (container === 'consumes') return `consumed API \`${name}\``;
  if (container === 'exposes') return `adapter \`${name}\``;
  if (at.at(-1) === 'authentication') return `consumed API \`${scalar(editor, at.slice(0, -1), 'namespace')}\``;
  return container === 'resources' ? `resource \`${name ?? scalar(editor, at, 'path')}\`` : `operation \`${name ?? scalar(editor, at, 'method')}\``;
}

/** What removing `key` from `where` loses, and how to get it back outside the file when a flag can. */
function lost(editor: YamlEditor, path: Path, key: string, where: string): string {
  switch (key) {
    case 'resiliency':
      return `the retry, circuit-breaker, outbound rate-limit and cache policy of ${where} is gone: calls use the \`capstan run\` flags (\`--retries\`, \`--circuit-breaker\`, \`--cache-ttl\`; gateway-wide, not per API) and the built-in defaults (2 retries of idempotent calls, no breaker, no limit, no cache)`;
    case 'cacheControl':
      return `2xx answers of ${where} no longer carry the \`Cache-Control\` it declared (no flag sets one)`;
    case 'x-capstan-rateLimit':
      return `callers of ${where} are no longer rate-limited per client; \`capstan run --rate-limit N/WINDOW\` sets a limit for every REST and MCP adapter instead`;
    case 'x-capstan-enum': {
      const values = editor.doc.getIn(path, true);
      const list = isSeq(values) ? values.items.map((v) => (isScalar(v) ? String(v.value) : '?')).join(', ') : '';
      return `${where} no longer accepts only ${list || 'its listed values'}: the list leaves the OpenAPI and MCP input schemas (inputs fed by a consumed parameter inherited it), and another value reaches the upstream instead of a 400 or tool error (on a REST input an official \`pattern\` can refuse it again)`;
    }
    default:
      // The OAuth2 client keys: without the client, Capstan fetches no token, as the engine.
      return `the OAuth2 client of ${where} is gone: Capstan fetches no token and its calls go out without one, as the reference engine sends them (no flag or \`--credentials\` source sets an OAuth2 client)`;
  }
}

/** Comments out a secret key as `key: <…left out>`, never copying its literal value. */
function commentOutSecret(editor: YamlEditor, path: Path, key: string): boolean {
  const map = editor.mapAt(path.slice(0, -1));
  const pair = map && editor.pair(map, key);
  if (!map || !pair || map.flow) return false;
  const start = pair.key.range![0];
  const lineStart = editor.lineStart(start);
  if (!/^\s*$/.test(editor.text.slice(lineStart, start))) return false;
  const end = editor.lineEnd((pair.value?.range ?? pair.key.range!)[1] - 1);
  editor.replaceRange(lineStart, end, `${' '.repeat(start - lineStart)}# ${strictRemovalNote(KIND)}: ${key}: <a literal secret, left out>`);
  return true;
}

/** A Capstan extension key: commented out, with what is lost. */
export const removeExtension: StrictRewrite = (editor, path) => {
  const key = path.at(-1);
  if (typeof key !== 'string') return 'no extension key found there';
  const value = editor.doc.getIn(path, true);
  const literalSecret = SECRET_KEYS.has(key) && isScalar(value) && typeof value.value === 'string' && !value.value.includes('{{');
  const where = owner(editor, path);
  const change = lost(editor, path, key, where);
  if (literalSecret) {
    if (!commentOutSecret(editor, path, key)) return 'a literal secret in a flow mapping; move it to a bind first';
  } else {
    const why = commentOutStrict(editor, path, KIND);
    if (why) return why;
  }
  return { change: `\`${key}\` is removed (a Capstan extension): ${change}` };
};
