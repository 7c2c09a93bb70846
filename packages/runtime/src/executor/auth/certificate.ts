/**
 * Client certificates (mTLS) for a consumed API: the certificate and key (PEM text from binds,
 * or files: `certPath`, `keyPath`, `caPath`; a `.p12`/`.pfx` file is a PKCS#12 bundle opened
 * with `certPassword`), and optionally the CA that signs the upstream's server certificate.
 * Read and checked once at start-up (a key that does not match, a wrong password: start-up
 * fails naming the namespace), then given to the undici pool of that upstream as `connect`
 * options, so every connection presents the certificate.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { ConsumedAuth } from '@capstan/spec';
import { resolveFileLocation } from '@capstan/spec';

type Certificate = Extract<ConsumedAuth, { type: 'certificate' }>;

/** TLS options for the upstream's connections. */
export interface ClientTls {
  cert?: string;
  key?: string;
  ca?: string;
  pfx?: Buffer;
  passphrase?: string;
}

const isPem = (text: string): boolean => text.trimStart().startsWith('-----BEGIN');

/** Reads a file named by a template value, relative to the capability's folder. */
function readNamed(path: string, baseDir: string, namespace: string, field: string): Buffer {
  let file = path;
  try {
    file = resolveFileLocation(path, baseDir);
    return readFileSync(file);
  } catch (err) {
    throw new Error(`client certificate for \`${namespace}\`: cannot read \`${field}\` ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Builds and checks the TLS options; `secrets` are the key material and password, for redaction. */
export function clientTls(auth: Certificate, r: (t: string | undefined) => string, baseDir: string, namespace: string): { tls: ClientTls; secrets: string[] } {
  const tls: ClientTls = {};
  // A `cert`/`key`/`ca` value is PEM text, or else a path; the `*Path` fields are paths.
  const material = (text: string | undefined, path: string | undefined, field: string): Buffer | undefined => {
    const value = r(text);
    if (value) return isPem(value) ? Buffer.from(value) : readNamed(value, baseDir, namespace, field);
    const named = r(path);
    return named ? readNamed(named, baseDir, namespace, `${field}Path`) : undefined;
  };
  const cert = material(auth.cert, auth.certPath, 'cert');
  const key = material(auth.key, auth.keyPath, 'key');
  const ca = material(auth.ca, auth.caPath, 'ca');
  const passphrase = r(auth.passphrase);
  if (cert && !isPem(cert.toString('latin1'))) tls.pfx = cert;
  else if (cert) tls.cert = cert.toString('utf8');
  if (key) tls.key = key.toString('utf8');
  // One PEM file holding the certificate and its key (a common way to ship them).
  else if (tls.cert?.includes('PRIVATE KEY-----')) tls.key = tls.cert;
  if (ca) tls.ca = ca.toString('utf8');
  if (passphrase) tls.passphrase = passphrase;
  try {
    createSecureContext(tls);
  } catch (err) {
    // OpenSSL names the problem (bad decrypt, key values mismatch…), never the material.
    throw new Error(`client certificate for \`${namespace}\` cannot be used (${(err as Error).message})`);
  }
  return { tls, secrets: [tls.key, passphrase].filter((s): s is string => !!s) };
}
