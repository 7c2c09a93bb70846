/**
 * XML → JSON with the reference engine's (Jackson `XmlMapper.readTree`) shape: the root element
 * is dropped, child elements become fields, repeated siblings become arrays while a single child
 * stays an object, every leaf is a string, attributes become fields, and text mixed with
 * elements or attributes goes under the key "". Namespace prefixes are dropped.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const TEXT = '#text';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: TEXT,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  removeNSPrefix: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Entity expansion stays bounded (no billion-laughs); external entities are never fetched.
  processEntities: { enabled: true, maxTotalExpansions: 10_000, maxExpandedLength: 1_000_000 },
  htmlEntities: false,
});

/** Renames the parser's text key to Jackson's "". */
function reshape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(reshape);
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k === TEXT ? '' : k] = reshape(v);
    return out;
  }
  return node === undefined || node === null ? '' : String(node);
}

/** Parses XML; throws with the parser's reason when the text is not well-formed. */
export function xmlToJson(text: string): unknown {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(text) as Record<string, unknown>;
  const roots = Object.keys(doc);
  if (roots.length !== 1) throw new Error('expected exactly one root element');
  const root = doc[roots[0]!];
  if (root === '' || root === undefined || root === null) return {};
  return reshape(root);
}
