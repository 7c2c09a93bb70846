/**
 * OpenAPI `enum`s → `x-capstan-enum` (Capstan's extension: the values an input accepts), so the
 * imported capability's `/openapi.json` and `tools/list` show the choices and any other value is
 * refused before the upstream is called.
 */
import { ENUM_KEY, fitsType, type EnumValue } from '@capstan/spec';
import { isObj, type ApiParameter, type Obj } from './model.js';
import { inputType } from './shapes.js';

/**
 * The values of `p`'s `enum` its type can carry (`null` of a nullable enum left out), or
 * undefined when it has none; a warning for what cannot be carried (an enum of array items,
 * values of another type).
 */
export function enumOf(p: ApiParameter, where: string, warnings: string[]): EnumValue[] | undefined {
  const type = inputType(p.schema);
  if (type === 'array' || type === 'object') {
    if (isObj(p.schema.items) && Array.isArray(p.schema.items.enum)) warnings.push(`${where}: the enum of the items of \`${p.name}\` is not carried over (\`${ENUM_KEY}\` lists the values of a scalar input)`);
    return undefined;
  }
  if (!Array.isArray(p.schema.enum)) return undefined;
  const values = [...new Set(p.schema.enum.filter((v) => v !== null))];
  const kept = values.filter((v): v is EnumValue => fitsType(v, type));
  if (kept.length < values.length) warnings.push(`${where}: enum values of \`${p.name}\` that are not ${type}s are left out: ${values.filter((v) => !kept.includes(v)).map((v) => JSON.stringify(v)).join(', ')}`);
  return kept.length ? kept : undefined;
}

/**
 * Where an enum is written: a list of strings once, on the consumed parameter (the inputs feeding
 * it inherit it); a list of numbers or booleans on each exposed input, which declares the type
 * the values are read against (a `type` on a consumed parameter is not an official form).
 */
export function enumKeys(values: EnumValue[] | undefined, on: 'consumed' | 'input'): Obj {
  if (!values) return {};
  return (typeof values[0] === 'string') === (on === 'consumed') ? { [ENUM_KEY]: values } : {};
}

/** The names of the parameters of `params` that have an enum (of their own or of their items). */
export function enumNames(params: readonly ApiParameter[]): string[] {
  return params.filter((p) => Array.isArray(p.schema.enum) || (isObj(p.schema.items) && Array.isArray(p.schema.items.enum))).map((p) => p.name);
}
