/** Fixtures of the REST adapter tests: the seed specs and the secrets they bind. */
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

/** The seed specs folder. */
export const SPECS = join(REPO_ROOT, 'specs');

/** Secrets handed to the seed specs through the environment. */
export const SECRETS = {
  PARAGON_TOKEN: 'paragon-proxy-token-7f3a9c',
  PARAGON_USER_TOKEN: 'paragon-user-token-51d2e8',
  COMPOSIO_API_KEY: 'composio-key-0b8e44',
  /** Which Composio key header the key goes in (x-api-key or x-user-api-key); not a secret. */
  COMPOSIO_API_KEY_HEADER: 'x-api-key',
} as const;
