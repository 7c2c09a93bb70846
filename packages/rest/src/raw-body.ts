/**
 * JSON request bodies parsed as usual (fastify's own parser, prototype-poisoning checks included)
 * with their text kept, so an implicitly forwarded body reaches the upstream byte for byte.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

const texts = new WeakMap<FastifyRequest, string>();

/** Replaces the JSON body parser with one that also keeps the request's body text. */
export function keepJsonText(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? 'error', app.initialConfig.onConstructorPoisoning ?? 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = String(body);
    texts.set(req, text);
    parse(req, text, done);
  });
}

/** The JSON body text of a request, as received; undefined when it had no JSON body. */
export function jsonText(req: FastifyRequest): string | undefined {
  return texts.get(req);
}
