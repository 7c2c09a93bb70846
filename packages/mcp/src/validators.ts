/** Tool argument and result validators, compiled once per distinct schema. */
import { Ajv, type ValidateFunction } from 'ajv';

const sharedAjv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();

/**
 * One compiled validator per distinct schema, process-wide and on first use: a gateway serving
 * hundreds of capabilities has thousands of tools whose schemas are mostly identical, and
 * compiling them all up front dominated start-up.
 */
export function validatorFor(schema: object): () => ValidateFunction {
  const key = JSON.stringify(schema);
  return () => {
    let fn = validators.get(key);
    if (!fn) validators.set(key, (fn = sharedAjv.compile(schema)));
    return fn;
  };
}

