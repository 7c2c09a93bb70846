/**
 * `x-capstan-enum` (a Capstan extension): the only values an input accepts, on a REST input, an MCP
 * tool or function input, or a consumed parameter (whose enum the inputs feeding it inherit, see
 * input-enums.ts). The official alpha2 schema has no `enum` for inputs; a REST `pattern` cannot be
 * listed as choices by clients and agents, an enum can.
 */
import type { EnumValue } from '../graph.js';
import { child, type At, type CompileContext } from './context.js';

/** The extension key. */
export const ENUM_KEY = 'x-capstan-enum';

const isScalar = (v: unknown): v is EnumValue => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** True when a value can be sent for an input of the declared type. */
export function fitsType(value: unknown, type: string): value is EnumValue {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return typeof value === 'string';
  }
}

/**
 * `{ enum }` for a usable `x-capstan-enum` on a parameter of `type` (string when undeclared), else
 * `{}`. The schema reports a malformed list; the compiler reports a list on an array or object
 * input (ignored: the enum lists scalar values) and values the declared type cannot carry.
 * The parameter is item `index` of the list at `params`.
 */
export function declaredEnum(ctx: CompileContext, param: Readonly<Record<string, unknown>>, params: At, index: number): { enum?: readonly EnumValue[] } {
  const list = param[ENUM_KEY];
  if (!Array.isArray(list) || list.length === 0 || !list.every(isScalar)) return {};
  const type = typeof param.type === 'string' ? param.type : 'string';
  const at = child(params, index, ENUM_KEY);
  if (type === 'array' || type === 'object') {
    ctx.report('warning', at, 'key', 'enum-on-structured-input', `\`${ENUM_KEY}\` lists the values of a scalar input; on a \`type: ${type}\` input Capstan ignores it`, {
      fix: `remove \`${ENUM_KEY}\`, or give the input a scalar \`type\``,
    });
    return {};
  }
  const misfits = list.filter((v) => !fitsType(v, type));
  if (misfits.length) {
    ctx.report('warning', at, 'value', 'enum-value-type', `\`${ENUM_KEY}\` has ${misfits.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}, which a \`type: ${type}\` input never receives`, {
      fix: type === 'string' ? 'quote the values' : `list ${type} values only, or change \`type\``,
    });
  }
  return { enum: [...new Set(list)] };
}
