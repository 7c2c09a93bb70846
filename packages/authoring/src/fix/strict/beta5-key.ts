/**
 * `fix --strict` for `beta5-key`: a beta5 key Capstan reads in an alpha2 file (`tunnel`,
 * `maxBinarySize`, `ttlMs`, …). Alpha2 has no such key, so it is commented out as a strict
 * removal; what it did (as `READ_KEYS` says) is what stops. `capstan upgrade` keeps it officially.
 */
import { READ_KEYS } from '@capstan/spec';
import type { StrictRewrite } from '../strict.js';
import { commentOutStrict } from './removed.js';

export const beta5KeyRemoved: StrictRewrite = (editor, path) => {
  const key = path.at(-1);
  const read = READ_KEYS.find((r) => r.code === 'beta5-key' && r.key === key);
  if (!read) return 'not a beta5 key Capstan reads';
  return commentOutStrict(editor, path, 'beta5-key') ?? {
    change: `what \`${String(key)}\` did stops (${read.does}); to keep it, run \`capstan upgrade\`, which makes the file a beta5 document where the key is official`,
  };
};
