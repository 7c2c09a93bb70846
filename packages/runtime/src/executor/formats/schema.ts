/** What binary formats share with the converter front: the schema cache type and its error. */

/** Loaded schemas, keyed by resolved path. */
export type SchemaCache = Map<string, unknown>;

/** The schema itself is missing or broken (a capability problem, not the answer's). */
export class SchemaError extends Error {}
