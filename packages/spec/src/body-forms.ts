/**
 * Request body `type`s as real files write them. The official list is json, text, xml, sparql,
 * formUrlEncoded and multipartForm, each with its own data shape; files also write well-known
 * aliases (`form`, `multipart`, `application/x-www-form-urlencoded`, `JSON`, …), a field map as
 * multipart data, and types of their own (`binary`, …). The reference engine sends every type it
 * does not know as the JSON text of the data with `application/json` (reference-engine.md §2.6),
 * which drops what the author meant for an alias. Capstan reads them here, in one place, for the
 * compiler (what is sent), the de-facto detector (the warning) and `capstan fix` (the rewrite):
 * - an alias of an official type, whose data fits that type, is served as that type;
 * - a field map as multipart data is one text part per entry, in order;
 * - an octet-stream type (`binary`, `octet-stream`, …) with string data is sent as those bytes
 *   with `Content-Type: application/octet-stream` (officially: a plain string body and a
 *   `Content-Type` header parameter);
 * - anything else is the JSON text of the data (officially `type: json`), as the engine sends it.
 */

/** The official request body types. */
export const OFFICIAL_BODY_TYPES = ['json', 'text', 'xml', 'sparql', 'formUrlEncoded', 'multipartForm'] as const;

/** An official request body type. */
export type OfficialBodyType = (typeof OFFICIAL_BODY_TYPES)[number];

/** The content type of an octet-stream body. */
export const OCTET_STREAM = 'application/octet-stream';

/**
 * How Capstan reads one body object: the official form that serves the same, and how the
 * written form deviates from it (absent when it is the official form, or a schema error).
 */
export type BodyReading =
  | { official: OfficialBodyType; deviation?: 'alias' | 'unknown' | 'parts-map' }
  /** Octet data: officially a plain string `body:` and a `Content-Type` header parameter. */
  | { official: 'raw'; deviation: 'octet' };

type Target = OfficialBodyType | 'octet';

/** Aliases by their key (`aliasKey`: lower case, letters, digits and `/` only). */
const ALIASES: Readonly<Record<string, Target>> = {
  ...keys('formUrlEncoded', ['formurlencoded', 'form', 'forms', 'urlencoded', 'urlencodedform', 'formencoded', 'xwwwformurlencoded', 'wwwformurlencoded', 'application/xwwwformurlencoded']),
  ...keys('multipartForm', ['multipartform', 'multipart', 'multipartformdata', 'formdata', 'multipart/formdata', 'multipart/form']),
  ...keys('json', ['json', 'application/json', 'text/json']),
  ...keys('text', ['text', 'plain', 'plaintext', 'text/plain', 'string']),
  ...keys('xml', ['xml', 'application/xml', 'text/xml']),
  ...keys('sparql', ['sparql', 'sparqlquery', 'application/sparqlquery']),
  ...keys('octet', ['binary', 'octet', 'octetstream', 'application/octetstream', 'bytes']),
};

function keys(target: Target, aliases: string[]): Record<string, Target> {
  return Object.fromEntries(aliases.map((a) => [a, target]));
}

/** An alias's key: `Application/X-WWW-Form-UrlEncoded; charset=utf-8` → `application/xwwwformurlencoded`. */
const aliasKey = (type: string): string => (type.split(';')[0] ?? '').toLowerCase().replace(/[^a-z0-9/]/g, '');

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
/** A field map: each value one form field or part. */
export const isFieldMap = (v: unknown): v is Record<string, string | number | boolean> => isMap(v) && Object.values(v).every(isScalar);

/** Whether `data` has the shape the target's official form takes. */
function fits(target: Target, data: unknown): boolean {
  switch (target) {
    case 'json': return true;
    case 'formUrlEncoded': return typeof data === 'string' || isFieldMap(data);
    case 'multipartForm': return Array.isArray(data) || isFieldMap(data);
    default: return typeof data === 'string';
  }
}

/** How Capstan reads a body object with this `type` and `data`. */
export function readBodyForm(type: unknown, data: unknown): BodyReading {
  if ((OFFICIAL_BODY_TYPES as readonly unknown[]).includes(type)) {
    return type === 'multipartForm' && isFieldMap(data) ? { official: 'multipartForm', deviation: 'parts-map' } : { official: type as OfficialBodyType };
  }
  const target = typeof type === 'string' ? ALIASES[aliasKey(type)] : undefined;
  if (!target || !fits(target, data)) return { official: 'json', deviation: 'unknown' };
  if (target === 'octet') return { official: 'raw', deviation: 'octet' };
  return { official: target, deviation: target === 'multipartForm' && isFieldMap(data) ? 'parts-map' : 'alias' };
}

/** The header parameter that sends an octet-stream body, as its official form declares it. */
export const OCTET_HEADER = { name: 'Content-Type', in: 'header', value: OCTET_STREAM } as const;

/** Whether parameters declare a `Content-Type` header (which sets the body's content type). */
export const declaresContentType = (params: ReadonlyArray<{ name?: unknown; in?: unknown }>): boolean =>
  params.some((p) => p.in === 'header' && typeof p.name === 'string' && p.name.toLowerCase() === 'content-type');

/** A field map with every value as the string sent (the official form map takes strings). */
export const fieldsOf = (map: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(map).map(([name, value]) => [name, String(value)]));

/** A field map as the official list of multipart parts, one text part per entry, in order. */
export const partsOf = (map: Record<string, unknown>): Array<{ name: string; value: string }> =>
  Object.entries(map).map(([name, value]) => ({ name, value: String(value) }));

/** The de-facto finding for one body object, if it deviates: where, what Capstan does, and the official form. */
export interface BodyFinding {
  /** The key the finding points at. */
  at: 'type' | 'data';
  message: string;
  fix: string;
}

const SENT: Record<OfficialBodyType, string> = {
  json: 'JSON (`application/json`)',
  text: 'text (`text/plain`)',
  xml: 'XML (`application/xml`)',
  sparql: 'a SPARQL query (`application/sparql-query`)',
  formUrlEncoded: 'a URL-encoded form (`application/x-www-form-urlencoded`)',
  multipartForm: 'a multipart form (`multipart/form-data`)',
};

const PARTS_FIX = '`data` as a list of parts, `- {name: <field>, value: <value>}` for each entry';

/** The warning for a body object Capstan reads another way than the official schema says. */
export function bodyFinding(body: Record<string, unknown>): BodyFinding | undefined {
  const reading = readBodyForm(body.type, body.data);
  const written = `\`type: ${String(body.type)}\``;
  switch (reading.deviation) {
    case undefined:
      return undefined;
    case 'parts-map':
      return reading.official === body.type
        ? { at: 'data', message: '`multipartForm` data written as a field map is a de-facto form; Capstan sends one text part per entry', fix: `write ${PARTS_FIX}` }
        : { at: 'type', message: `${written} with a field map is a de-facto form of \`multipartForm\`; Capstan sends ${SENT.multipartForm} with one text part per entry`, fix: `write \`type: multipartForm\` and ${PARTS_FIX}` };
    case 'alias':
      return { at: 'type', message: `${written} is a de-facto spelling of the official \`${reading.official}\`; Capstan sends ${SENT[reading.official]}`, fix: `write \`type: ${reading.official}\`` };
    case 'octet':
      return { at: 'type', message: `${written} is not an official body type; Capstan sends the string data as is with \`Content-Type: ${OCTET_STREAM}\``, fix: `write the data as a plain string \`body:\` and add the input parameter \`{name: Content-Type, in: header, value: ${OCTET_STREAM}}\`` };
    case 'unknown':
      return { at: 'type', message: `${written} is not an official body type; Capstan sends the data as JSON (\`application/json\`), as the reference engine does`, fix: 'write `type: json` (or the official type you meant, with its data shape)' };
  }
}
