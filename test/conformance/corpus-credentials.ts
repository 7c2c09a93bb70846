/**
 * Credentials of the right shape for the signing and certificate schemes of corpus files: the
 * corpus suite gives every bind variable a distinctive text, which cannot be an RSA key (oauth1
 * RSA-SHA256), a hex key (Veracode hmac) or a certificate file (mTLS). For the variables those
 * auth fields read, this puts a generated PEM key, a hex key, or the path of a generated
 * certificate+key PEM file in the environment and the bind layer instead.
 */
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { CapabilityGraph } from '@capstan/spec';
import { tempSpecDir } from '../helpers/tmp.js';
import { tagNames } from './corpus-oracle.js';

let rsaPem: string | undefined;
let certFile: Promise<string> | undefined;

/** A client certificate and its key in one PEM file (generated once). */
function certificateFile(): Promise<string> {
  certFile ??= generate([{ name: 'commonName', value: 'capstan-corpus-client' }], { keySize: 2048, algorithm: 'sha256' }).then((p) => {
    const path = join(tempSpecDir({}), 'client.pem');
    writeFileSync(path, `${p.cert}\n${p.private}`);
    return path;
  });
  return certFile;
}

/** Sets `variable` (a bind variable) to `value` in the env (by its provider key) and the bind layer. */
function setVariable(graph: CapabilityGraph, env: Record<string, string>, binds: Record<string, unknown>, template: string | undefined, value: string): void {
  for (const name of tagNames(template ?? '')) {
    const variable = name.split('.').at(-1)!;
    for (const bind of graph.binds) {
      const key = bind.keys[variable];
      if (key === undefined) continue;
      env[key] = value;
      binds[variable] = value;
      binds[bind.namespace] = { ...((binds[bind.namespace] as object | undefined) ?? {}), [variable]: value };
    }
  }
}

/** Rewrites, in place, the variables that signing keys and certificate paths read. */
export async function schemeCredentials(graph: CapabilityGraph, env: Record<string, string>, binds: Record<string, unknown>): Promise<void> {
  for (const api of graph.consumes.values()) {
    const auth = api.auth;
    if (auth?.type === 'oauth1' && auth.signatureMethod.startsWith('RSA')) {
      rsaPem ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      setVariable(graph, env, binds, auth.signingKey, rsaPem);
    } else if (auth?.type === 'veracode-hmac') {
      setVariable(graph, env, binds, auth.apiKey, 'ab'.repeat(64));
    } else if (auth?.type === 'certificate') {
      setVariable(graph, env, binds, auth.certPath, await certificateFile());
    }
  }
}
