/** Shared by the `fix --strict` tests: fix a capability text in strict mode and check the result. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSpec, hasErrors } from '@capstan/spec';
import { fixFile, type FixResult } from '@capstan/authoring';
import { tempSpecDir } from '../helpers/tmp.js';

/** What `fix --strict` did to `text`: the result, and the file's findings under `--strict` and by default after. */
export interface StrictOutcome {
  file: string;
  result: FixResult;
  /** Every `--strict` error left in the fixed file (Capstan extensions included). */
  strictErrors: ReturnType<typeof checkSpec>['diagnostics'];
  /** True when the fixed file loads with errors in the default mode (it must not). */
  loadErrors: boolean;
}

/** Writes `text` to a fresh folder, runs `fix --strict` on it and writes the result back. */
export function fixStrict(text: string, name = 'cap.yaml'): StrictOutcome {
  const file = join(tempSpecDir({}), name);
  writeFileSync(file, text);
  const result = fixFile(file, { strict: true });
  writeFileSync(file, result.text);
  const strictErrors = checkSpec(file, { strict: true }).diagnostics.filter((d) => d.severity === 'error');
  return { file, result, strictErrors, loadErrors: hasErrors(checkSpec(file).diagnostics) };
}

/** A minimal official capability around one consumed API and one MCP tool, for small test files. */
export const minimalCapability = (tool: string, consumedOperation = '{ name: get, method: GET }'): string => `naftiko: 1.0.0-alpha2
info:
  label: Test
  description: Test capability.
capability:
  consumes:
  - type: http
    namespace: api
    baseUri: https://api.test
    resources:
    - name: things
      path: /things
      operations:
      - ${consumedOperation}
  exposes:
  - type: mcp
    port: 9000
    namespace: agent
    tools:
${tool}
`;
