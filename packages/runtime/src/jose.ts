/**
 * `jose` (JWT signing and verification), imported on first use: only capabilities with JWT
 * identity, OAuth2 inbound auth or minted tokens need it, and loading it costs start-up time and
 * memory for every other one.
 */
let loading: Promise<typeof import('jose')> | undefined;

/** The `jose` module, loaded once. */
export function jose(): Promise<typeof import('jose')> {
  loading ??= import('jose');
  return loading;
}
