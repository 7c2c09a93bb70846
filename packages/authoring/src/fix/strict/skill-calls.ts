/**
 * `fix --strict` for `skill-calls`: the de-facto skill form that calls operations directly
 * (`call`, `hints`, `inputParameters`, `outputParameters` on a skill or a skill tool). The skill
 * catalog reads only `from` and `instruction`, so each such key is commented out as a strict
 * removal: the catalog serves the same. A skill tool left without `from` gets one from the
 * `required-key` rewrite (strict/skill-adapter.ts).
 */
import type { StrictRewrite } from '../strict.js';
import { commentOutStrict } from './removed.js';

export const skillKeyRemoved: StrictRewrite = (editor, path) => {
  if (!path.includes('skills')) return 'not a key of a skill';
  const why = commentOutStrict(editor, path, 'skill-calls');
  if (why) return why;
  return { change: `none in what is served: the skill catalog ignores \`${String(path.at(-1))}\` (it reads \`from\` and \`instruction\`); an agent calls the operation through the MCP tool or REST operation a \`from\` names` };
};
