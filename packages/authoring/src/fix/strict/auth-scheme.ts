/**
 * `fix --strict` for `auth-scheme`: a consumed `authentication` Capstan performs as a scheme the
 * official list (basic, apikey, bearer, digest, oauth2) lacks.
 * - Static credentials official `apikey` cannot hold (several keys at once, a cookie): each becomes
 *   an adapter-level consumed input parameter with a `value` template (official), so the upstream
 *   gets the same headers, query pairs and cookies.
 * - A scheme computed per request (oauth1, aws-sig-v4, hmac signatures, an mTLS client
 *   certificate) or one Capstan cannot perform: no official form does it, so the block is
 *   commented out and calls go out as the reference engine sends them (unauthenticated).
 */
import { isSeq } from 'yaml';
import type { ConsumedAuth, CredentialPairs } from '@capstan/spec';
import { flowText } from '../edits.js';
import { scalar } from '../fixers.js';
import type { StrictRewrite } from '../strict.js';
import { commentOutStrict } from './removed.js';

/** The official consumed parameter name pattern (`IdentifierExtended`). */
const PARAMETER_NAME = /^[a-zA-Z0-9-_*]+$/;

/** What the upstream no longer gets once a scheme's block is gone, by compiled scheme. */
const LOST: Record<string, (declared: string) => string> = {
  oauth1: () => 'no OAuth 1.0a signature (`Authorization: OAuth …`)',
  'aws-sig-v4': () => 'no AWS Signature V4 (`Authorization: AWS4-HMAC-SHA256 …`)',
  'veracode-hmac': () => 'no HMAC signature (`Authorization: VERACODE-HMAC-SHA-256 …`)',
  certificate: () => 'no client certificate in the TLS handshake (mTLS)',
};

export const authSchemeOfficial: StrictRewrite = (editor, path, _d, compiled) => {
  const adapterPath = path.slice(0, -1);
  const adapter = editor.mapAt(adapterPath);
  const namespace = scalar(editor, adapterPath, 'namespace');
  const auth = namespace ? compiled.graph?.consumes.get(namespace)?.auth : undefined;
  if (!adapter || !namespace || !auth || path.at(-1) !== 'authentication') return 'no consumed `authentication` found there';
  if (auth.type === 'keys') return asParameters(editor, path, namespace, auth);
  // Capstan's OAuth2 client extension fetches tokens: removing its block would stop that.
  if (auth.type === 'oauth2' && Object.keys(auth).some((k) => k.startsWith('x-capstan-'))) return 'the block carries Capstan\'s OAuth2 client extension; remove its non-official keys by hand';
  const declared = scalar(editor, path, 'type') ?? auth.type;
  const why = commentOutStrict(editor, path, 'auth-scheme');
  if (why) return why;
  if (auth.type === 'oauth2') {
    return { change: `none in the requests: Capstan sends nothing for a consumed \`oauth2\` without its client extension; the block's non-official keys are gone with it` };
  }
  if (auth.type === 'unsupported') {
    return { change: `calls to \`${namespace}\` no longer fail with a configuration error (Capstan cannot perform \`${declared}\`): they go out unauthenticated, as the reference engine sends them` };
  }
  const lost = LOST[auth.type]?.(declared) ?? `no \`${declared}\` credentials`;
  return {
    change: `calls to \`${namespace}\` now go out with ${lost}, as the reference engine sends them: an upstream that requires it refuses them. No official scheme performs \`${declared}\` and a \`--credentials\` file cannot carry it (it holds per-caller tokens and keys only); to keep it, run plain \`capstan fix\`, which keeps the block`,
  };
};

/** Several static credentials (or a cookie): written as adapter-level parameters with `value` templates. */
function asParameters(editor: Parameters<StrictRewrite>[0], path: Parameters<StrictRewrite>[1], namespace: string, auth: Extract<ConsumedAuth, { type: 'keys' }>): ReturnType<StrictRewrite> {
  const adapterPath = path.slice(0, -1);
  const placed: Array<[CredentialPairs, string]> = [[auth.headers, 'header'], [auth.query, 'query'], [auth.cookies ?? [], 'cookie']];
  const params = placed.flatMap(([pairs, where]) => pairs.map(([name, value]) => ({ name, in: where, value })));
  const bad = params.find((p) => !PARAMETER_NAME.test(p.name));
  if (bad) return `the credential name \`${bad.name}\` is not an official parameter name`;
  const list = editor.doc.getIn([...adapterPath, 'inputParameters'], true);
  const taken = (isSeq(list) ? (list.toJSON() as unknown[]) : []).filter((t): t is Record<string, unknown> => !!t && typeof t === 'object');
  const clash = params.find((p) => taken.some((t) => t.name === p.name && t.in === p.in));
  if (clash) return `the adapter already declares a \`${clash.in}\` parameter \`${clash.name}\``;
  const map = editor.mapAt(adapterPath)!;
  const pair = editor.pair(map, 'authentication');
  if (!pair) return 'no `authentication` key found';
  // A literal credential is not copied into a comment: it moves, and stays written once.
  const literal = params.some((p) => !p.value.includes('{{'));
  if (literal) editor.deleteKey(map, pair);
  else editor.commentOutKey(map, pair, 'capstan fix --strict moved to inputParameters (auth-scheme)');
  const at = literal ? (map.items[map.items.indexOf(pair) - 1] as typeof pair | undefined) : pair;
  // In place of the block when the adapter has no parameters yet, else at the end of its list.
  if (isSeq(list)) for (const p of params) editor.addListItem(adapterPath, 'inputParameters', flowText(p));
  else editor.insertKey(map, 'inputParameters', `[${params.map((p) => flowText(p)).join(', ')}]`, at, true);
  const where = [...new Set(params.map((p) => p.in))].join(', ');
  return {
    change: `the credentials of \`${namespace}\` are sent as adapter-level \`inputParameters\` (${where}) with the same \`value\` templates: the upstream gets the same values${params.some((p) => p.in === 'query') ? " (query credentials now come before the operation's own query pairs)" : ''}; an operation parameter of the same name and place now overrides one${params.some((p) => p.in === 'cookie') ? ', and a `forward` no longer sends a cookie credential' : ''}`,
  };
}
