/**
 * The document types the compiler reads, from the types generated out of the JSON Schema
 * (`generated/document.d.ts`). A `Section<T>` has exactly the keys the schema declares for `T`,
 * each `unknown`: the compiler may only read keys the schema knows (so the two cannot drift), and
 * must check each value's shape, because the default mode runs files the schema rejects.
 */
import type * as Doc from '../../generated/document.js';

/** The keys of a type without its index signatures (`[k: string]: unknown` branches of `oneOf`s). */
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: unknown };
/** Every key any member of a union declares. */
type UnionKeys<T> = T extends unknown ? KnownKeys<T> : never;

/**
 * A document object as the compiler reads it: any key the schema declares for `T` (in any of its
 * forms), plus the de-facto keys `Extra` that real files carry and Capstan reads, each unknown.
 */
export type Section<T, Extra extends string = never> = { readonly [K in UnionKeys<T> | Extra]?: unknown };

export type DocumentRoot = Section<Doc.NaftikoCapabilityDocument100Alpha2>;
export type CapabilitySection = Section<Doc.Capability>;
export type InfoSection = Section<Doc.Info>;
export type BindSection = Section<Doc.Binding>;
export type ConsumesSection = Section<Doc.ConsumesHttp>;
export type ConsumedResourceSection = Section<Doc.ConsumedHttpResource>;
export type ConsumedOperationSection = Section<Doc.ConsumedHttpOperation>;
/** `mapping` is the de-facto spelling of a consumed output's `value`. */
export type ConsumedOutputSection = Section<Doc.ConsumedOutputParameter, 'mapping'>;
export type ConsumedParamSection = Section<Doc.ConsumedInputParameter>;
export type RequestBodySection = Section<Exclude<Doc.RequestBody, string>>;
export type AdapterSection = Section<Doc.ExposesRest | Doc.ExposesMcp | Doc.ExposesSkill | Doc.ExposesControl>;
export type RestResourceSection = Section<Doc.ExposedResource>;
export type RestOperationSection = Section<Doc.ExposedOperation>;
export type ForwardSection = Section<Doc.ForwardConfig>;
/** `required` on a REST input is a de-facto form Capstan honours. */
export type ExposedParamSection = Section<Doc.ExposedInputParameter, 'required'>;
export type ToolSection = Section<Doc.McpTool>;
export type ToolParamSection = Section<Doc.McpToolInputParameter>;
export type McpResourceSection = Section<Doc.McpResource>;
export type McpPromptSection = Section<Doc.McpPrompt>;
export type PromptArgumentSection = Section<Doc.McpPromptArgument>;
export type PromptMessageSection = Section<Doc.McpPromptMessage>;
export type SkillToolSection = Section<Doc.SkillTool>;
export type AggregateSection = Section<Doc.Aggregate>;
export type FunctionSection = Section<Doc.AggregateFunction>;
export type StepSection = Section<Doc.OperationStepCall | Doc.OperationStepLookup | Doc.OperationStepScript>;
export type MappingSection = Section<Doc.StepOutputMapping>;
/** What every exposed unit with a handler (operation, tool, resource, function) may hold. */
export type HandlerSection = Section<Doc.ExposedOperation | Doc.McpTool | Doc.McpResource | Doc.AggregateFunction>;

/** A plain mapping read from YAML. */
export type Obj = Record<string, unknown>;

/** True for a mapping (not a list, not null). */
export const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
/** The items of a list, or none when the value is not a list. */
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** The mappings of a list, each as the section type the caller reads. */
export function sections<T>(v: unknown): Array<[T, number]> {
  const out: Array<[T, number]> = [];
  // A loop, not flatMap: a graph of thousands of entries would make a throw-away array per entry.
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) if (isObj(v[i])) out.push([v[i] as T, i]);
  return out;
}
/** A section read from a value that may not be a mapping (then empty). */
export const section = <T>(v: unknown): T => (isObj(v) ? v : {}) as T;
/** The value when it is a string. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** Scalars as text (numbers and booleans YAML read from unquoted names), anything else as `fallback`. */
export const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback);
/** `{ key: value }` when the value is a string, else `{}`: for optional string fields of graph nodes. */
export const optional = <K extends string>(key: K, v: unknown): { [P in K]?: string } => (typeof v === 'string' ? ({ [key]: v } as { [P in K]?: string }) : {});
/** HTTP methods Capstan can serve and send: the official five, and HEAD and OPTIONS, which real files use. */
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** A port number; 0 (a free port, printed at start-up) when the file gives none usable. */
export function portOf(value: unknown): number {
  const n = typeof value === 'number' || typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : 0;
}
