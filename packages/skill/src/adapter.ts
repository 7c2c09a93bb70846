/**
 * The skill adapter: a read-only catalog of a capability's skills on a fastify server (one made
 * by `createRestServer`, so every error is problem+json). It never executes tools: derived tools
 * say which sibling adapter and action to call, instruction tools name a file to fetch.
 *
 *   GET /skills                          {count, skills:[{name, description, license?, tools:[name…]}]}
 *   GET /skills/{name}                   the skill's metadata and tools
 *   GET /skills/{name}/contents          {name, files:[{path, size, type}]} of its location folder
 *   GET /skills/{name}/contents/{file…}  one file, with its media type
 *   GET /skills/{name}/download          the location folder as application/zip (streamed)
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CapabilityGraph, SkillAdapterNode } from '@capstan/spec';
import type { InboundAuthenticator } from '@capstan/runtime';
import { problem, sendProblem } from '@capstan/rest';
import { buildCatalog, type CatalogSkill } from './catalog.js';
import { contentType, listFiles, MissingFileError, openInside, realFolder, UnsafePathError } from '@capstan/runtime';

/** How a skill adapter is served. */
export interface SkillAdapterOptions {
  /** The capability file's folder: relative `file:///./…` locations resolve against it. */
  baseDir: string;
  /** Present when the adapter declares `authentication`; checked on every route. */
  auth?: InboundAuthenticator;
}

const ROUTES = ['/skills', '/skills/:name', '/skills/:name/contents', '/skills/:name/contents/*', '/skills/:name/download'] as const;
const ALLOW = 'GET, HEAD, OPTIONS';

/** Headers sent with every skill file and archive: the browser must not sniff or run them. */
const FILE_HEADERS = { 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; sandbox" };

/**
 * Registers the skill catalog routes of `node` on `app`. The catalog is built now, so a
 * configuration error (a missing instruction file, a `from` naming no sibling adapter) throws
 * a `SkillAdapterError` before anything listens.
 */
export function registerSkillAdapter(app: FastifyInstance, node: SkillAdapterNode, graph: CapabilityGraph, options: SkillAdapterOptions): void {
  const catalog = buildCatalog(node, graph, options.baseDir);

  const guard = (handler: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) => async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    if (options.auth) {
      const decision = await options.auth.check({ method: req.method, url: req.url, headers: req.headers });
      if (!decision.ok) {
        return sendProblem(reply, problem(decision.status === 401 ? 'unauthorized' : 'forbidden', decision.detail, { requestId: req.id }), decision.headers);
      }
    }
    return handler(req, reply);
  };

  /** The skill named in the path, or a 404 already sent. */
  const skillOf = (req: FastifyRequest, reply: FastifyReply): CatalogSkill | undefined => {
    const name = (req.params as { name: string }).name;
    const skill = catalog.get(name);
    if (!skill) sendProblem(reply, problem('skill-not-found', `no skill named \`${name}\` in \`${node.namespace}\``, { requestId: req.id }));
    return skill;
  };

  /** The real folder of the skill's location, or a 404 already sent. */
  const folderOf = async (req: FastifyRequest, reply: FastifyReply, skill: CatalogSkill): Promise<string | undefined> => {
    const name = skill.detail.name;
    if (!skill.folder) {
      sendProblem(reply, problem('no-skill-contents', `skill \`${name}\` has no \`location\``, { requestId: req.id }));
      return undefined;
    }
    const folder = await realFolder(skill.folder);
    if (!folder) sendProblem(reply, problem('no-skill-contents', `the location folder of skill \`${name}\` does not exist or is not a folder`, { requestId: req.id }));
    return folder;
  };

  app.get('/skills', guard(async (_req, reply) => {
    const skills = [...catalog.values()].map(({ detail }) => ({
      name: detail.name,
      description: detail.description,
      ...(detail.license !== undefined ? { license: detail.license } : {}),
      tools: detail.tools.map((t) => t.name),
    }));
    return reply.send({ count: skills.length, skills });
  }));

  app.get('/skills/:name', guard(async (req, reply) => {
    const skill = skillOf(req, reply);
    return skill ? reply.send(skill.detail) : reply;
  }));

  app.get('/skills/:name/contents', guard(async (req, reply) => {
    const skill = skillOf(req, reply);
    if (!skill) return reply;
    const folder = await folderOf(req, reply, skill);
    if (!folder) return reply;
    const files = (await listFiles(folder)).map((f) => ({ path: f.path, size: f.size, type: f.type }));
    return reply.send({ name: skill.detail.name, files });
  }));

  app.get('/skills/:name/contents/*', guard(async (req, reply) => {
    const skill = skillOf(req, reply);
    if (!skill) return reply;
    // The raw path, split before decoding: an encoded `/` or `..` stays inside its segment and is refused.
    const rawPath = req.url.split('?')[0] ?? '';
    const rest = /^\/skills\/[^/]+\/contents\/(.*)$/.exec(rawPath)?.[1] ?? '';
    let segments: string[];
    try {
      segments = rest.split('/').map((s) => decodeURIComponent(s));
    } catch {
      return sendProblem(reply, problem('invalid-path', 'the file path has malformed percent-encoding', { requestId: req.id }));
    }
    const folder = await folderOf(req, reply, skill);
    if (!folder) return reply;
    try {
      const file = await openInside(folder, segments);
      const stream = file.handle.createReadStream();
      return reply.headers({ ...FILE_HEADERS, 'content-type': contentType(file.path), 'content-length': String(file.size) }).send(stream);
    } catch (err) {
      if (err instanceof UnsafePathError) return sendProblem(reply, problem('invalid-path', err.message, { requestId: req.id }));
      if (err instanceof MissingFileError) return sendProblem(reply, problem('file-not-found', `${err.message} in skill \`${skill.detail.name}\``, { requestId: req.id }));
      throw err;
    }
  }));

  app.get('/skills/:name/download', guard(async (req, reply) => {
    const skill = skillOf(req, reply);
    if (!skill) return reply;
    const folder = await folderOf(req, reply, skill);
    if (!folder) return reply;
    const files = await listFiles(folder);
    // yazl is loaded by the first download, not with every gateway that has a skill adapter.
    const { ZipFile } = await import('yazl');
    const zip = new ZipFile();
    const output = zip.outputStream as Readable;
    // A file that vanishes or changes mid-archive aborts the response rather than the process.
    zip.on('error', (err: Error) => output.destroy(err));
    for (const f of files) {
      zip.addReadStreamLazy(f.path, { mtime: f.mtime, mode: f.mode }, (cb) => {
        open(f.realPath, constants.O_RDONLY | constants.O_NOFOLLOW).then(
          (handle) => cb(null, handle.createReadStream()),
          (err: unknown) => cb(err, undefined as never),
        );
      });
    }
    zip.end();
    return reply
      .headers({ ...FILE_HEADERS, 'content-type': 'application/zip', 'content-disposition': `attachment; filename="${skill.detail.name}.zip"` })
      .send(output);
  }));

  // Other methods on these paths: 405 with Allow (GET also answers HEAD); OPTIONS lists them.
  for (const url of ROUTES) {
    app.route({
      method: ['POST', 'PUT', 'PATCH', 'DELETE'],
      url,
      handler: async (req, reply) => sendProblem(reply, problem('method-not-allowed', `${req.method} is not allowed on ${req.url.split('?')[0]}; the skill catalog is read-only (${ALLOW})`, { requestId: req.id }), { allow: ALLOW }),
    });
    app.route({ method: 'OPTIONS', url, handler: async (_req, reply) => reply.code(204).header('allow', ALLOW).send() });
  }
}
