/* Declarations of generated/schema-check.js (written by hand: the module is generated). */
/** SHA-256 of the alpha2 schema source (as JSON) the check was generated from. */
export declare const SCHEMA_SHA256: string;
/** The standalone validity check of the alpha2 schema source: whether a document is valid. */
export declare function validate(value: unknown): boolean;
export default validate;
