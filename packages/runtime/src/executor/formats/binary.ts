/**
 * Binary formats decoded with a schema file named by the operation's `outputSchema`, resolved
 * against the capability file's folder: Avro (one datum of the `.avsc` schema, via avsc) and
 * Protocol Buffers (via protobufjs; `file.proto#pkg.Message` picks a message, otherwise the
 * first message declared in the file). Schemas are loaded once per executor.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import avro from 'avsc';
import protobuf from 'protobufjs';
import { SchemaError, type SchemaCache } from './schema.js';

/** A decoded value made JSON-friendly: Buffers → base64, bigints → numbers or strings, records → plain objects. */
function plain(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v)]));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

function requireSchema(schema: string | undefined, format: string): string {
  if (!schema) throw new SchemaError(`${format} needs \`outputSchema\` naming the schema file`);
  return schema;
}

function load<T>(file: string, loader: () => T): T {
  try {
    return loader();
  } catch (err) {
    throw new SchemaError(`cannot load schema ${file}: ${(err as Error).message}`);
  }
}

/** Decodes one Avro datum. */
export function avroToJson(body: Buffer, schema: string | undefined, baseDir: string, cache: SchemaCache): unknown {
  const path = resolve(baseDir, requireSchema(schema, 'avro'));
  let type = cache.get(path) as avro.Type | undefined;
  if (!type) {
    type = load(path, () => avro.Type.forSchema(JSON.parse(readFileSync(path, 'utf8')) as avro.Schema));
    cache.set(path, type);
  }
  return plain(type.fromBuffer(body));
}

/** Decodes one Protocol Buffers message. */
export function protobufToJson(body: Buffer, schema: string | undefined, baseDir: string, cache: SchemaCache): unknown {
  const [file, messageName] = requireSchema(schema, 'protobuf').split('#');
  const path = resolve(baseDir, file!);
  const key = `${path}#${messageName ?? ''}`;
  let type = cache.get(key) as protobuf.Type | undefined;
  if (!type) {
    type = load(path, () => {
      const root = protobuf.loadSync(path);
      const found = messageName ? root.lookupType(messageName) : firstMessage(root);
      if (!found) throw new Error('no message type declared');
      return found;
    });
    cache.set(key, type);
  }
  const message = type.decode(body);
  return type.toObject(message, { longs: String, enums: String, bytes: String, defaults: true, arrays: true, objects: true });
}

function firstMessage(ns: protobuf.NamespaceBase): protobuf.Type | undefined {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) return nested;
    if (nested instanceof protobuf.Namespace) {
      const found = firstMessage(nested);
      if (found) return found;
    }
  }
  return undefined;
}
