/**
 * Binary passthrough (Ikanos beta5 `outputRawFormat: binary`) through `capstan run`, against a
 * real upstream serving random bytes: REST answers the exact bytes with the media type the engine
 * would choose (the consumed `outputMediaType`, else the REST `responseBinary`, else the upstream's
 * `Content-Type`); MCP tools answer image / audio / embedded-blob content and resource reads a
 * blob; `maxBinarySize` (operation over adapter over 10 MiB) refuses a larger answer with a 502
 * naming the upstream, also when the upstream sends no `Content-Length`. The engine buffers a
 * binary answer under that cap rather than streaming it; so does Capstan.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { checkSpec } from '@capstan/spec';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';
import { sendBody, startUpstream, type Upstream } from '../helpers/upstream.js';

const PHOTO = randomBytes(300_000);
const CLIP = randomBytes(4096);
const ARCHIVE = randomBytes(2 * 1024 * 1024 + 17);
/** Larger than the 1MiB cap declared on `get-big`, sent chunked (no Content-Length). */
const BIG = randomBytes(1024 * 1024 + 1);

const SPEC = `ikanos: "1.0.0-beta5"
info:
  display: Media
  description: Binary passthrough.
capability:
  consumes:
    - namespace: media
      type: http
      baseUri: http://127.0.0.1:9/files
      resources:
        photo:
          path: /photo/{{id}}
          operations:
            get-photo:
              method: GET
              outputRawFormat: binary
              outputMediaType: image/jpeg
              inputParameters:
                id:
                  in: path
        clip:
          path: /clip
          operations:
            get-clip:
              method: GET
              outputRawFormat: binary
        archive:
          path: /archive
          operations:
            get-archive:
              method: GET
              outputRawFormat: binary
              outputParameters:
                ignored:
                  type: string
                  value: $.never
        big:
          path: /big
          operations:
            get-big:
              method: GET
              outputRawFormat: binary
              maxBinarySize: 1MiB
        missing:
          path: /missing
          operations:
            get-missing:
              method: GET
              outputRawFormat: binary
  aggregates:
    - namespace: library
      display: Library
      flows:
        photo:
          description: A photo by id.
          inputParameters:
            id:
              type: string
              description: Photo id.
          call: media.get-photo
          with:
            id: "{{id}}"
  exposes:
    - type: rest
      namespace: media-api
      port: 8080
      resources:
        photo:
          path: /photos/{id}
          operations:
            read-photo:
              method: GET
              inputParameters:
                id:
                  in: path
                  type: string
                  description: Photo id.
              ref: library.photo
        clip:
          path: /clip
          operations:
            read-clip:
              method: GET
              call: media.get-clip
              responseBinary:
                mediaType: audio/ogg
        archive:
          path: /archive
          operations:
            read-archive:
              method: GET
              call: media.get-archive
        big:
          path: /big
          operations:
            read-big:
              method: GET
              call: media.get-big
        missing:
          path: /missing
          operations:
            read-missing:
              method: GET
              call: media.get-missing
    - type: mcp
      namespace: media-mcp
      port: 3001
      maxBinarySize: 1KiB
      tools:
        photo:
          description: A photo by id.
          ref: library.photo
        clip:
          description: The clip.
          call: media.get-clip
        archive:
          description: The archive.
          call: media.get-archive
      resources:
        archive:
          display: Archive
          description: The archive bytes.
          uri: media://archive
          binary: true
          call: media.get-archive
`;

describe('binary passthrough (`outputRawFormat: binary`) through `capstan run`', () => {
  let upstream: Upstream<Buffer>;
  let run: CapstanRun;
  let client: Client;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.url.startsWith('/files/photo/')) return sendBody(res, 200, PHOTO, 'application/octet-stream');
      if (req.url === '/files/clip') return sendBody(res, 200, CLIP, 'audio/mpeg');
      if (req.url === '/files/archive') return sendBody(res, 200, ARCHIVE, 'application/zip', { 'content-disposition': 'attachment; filename="a.zip"' });
      if (req.url === '/files/big') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(BIG);
      }
      return sendBody(res, 404, JSON.stringify({ error: 'no such file' }), 'application/json');
    }, { body: 'buffer' });
    run = await startCapstan([tempSpec(SPEC, 'media.yml')], { namespaces: ['media-api', 'media-mcp'], upstream: upstream.url });
    client = new Client({ name: 'binary-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp['media-mcp']!)));
  });

  afterAll(async () => {
    await client?.close();
    await run?.stop();
    await upstream?.close();
  });

  const get = async (path: string): Promise<{ status: number; type: string | null; body: Buffer; headers: Headers }> => {
    const res = await fetch(`${run.rest['media-api']}${path}`);
    return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
  };

  it('the file compiles in --strict with no finding', () => {
    expect(checkSpec(tempSpec(SPEC, 'media.yml'), { strict: true }).diagnostics).toEqual([]);
  });

  it('REST: the bytes arrive exact; the consumed `outputMediaType` wins over the upstream type', async () => {
    const res = await get('/photos/P-17');
    expect(res.status).toBe(200);
    expect(res.type).toBe('image/jpeg');
    expect(res.body.equals(PHOTO)).toBe(true);
    expect(upstream.seen.at(-1)!.url).toBe('/files/photo/P-17');
  });

  it('REST: without one, the operation\'s `responseBinary.mediaType` (over the upstream\'s); else the upstream `Content-Type`', async () => {
    const clip = await get('/clip');
    expect(clip.type).toBe('audio/ogg');
    expect(clip.body.equals(CLIP)).toBe(true);
    const archive = await get('/archive');
    expect(archive.type).toBe('application/zip');
    expect(archive.headers.get('content-disposition')).toBe('attachment; filename="a.zip"');
    // Declared outputs are not applied to bytes (the engine skips them too).
    expect(archive.body.equals(ARCHIVE)).toBe(true);
  });

  it('REST: an answer over `maxBinarySize` is a 502 naming the upstream and the cap; an upstream error passes through', async () => {
    const big = await get('/big');
    expect(big.status).toBe(502);
    expect(big.type).toContain('application/problem+json');
    const problem = JSON.parse(big.body.toString('utf8')) as { detail: string };
    expect(problem.detail).toContain('media.get-big');
    expect(problem.detail).toContain('maxBinarySize (1048576 bytes)');
    const missing = await get('/missing');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString('utf8'))).toEqual({ error: 'no such file' });
  });

  it('OpenAPI shows each binary answer as `format: binary` under its media type', async () => {
    const doc = (await (await fetch(`${run.rest['media-api']}/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
    expect(doc.paths['/clip']!.get!.responses['200']!.content).toEqual({ 'audio/ogg': { schema: { type: 'string', format: 'binary' } } });
    expect(doc.paths['/archive']!.get!.responses['200']!.content).toEqual({ 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } });
  });

  it('MCP tools: image and audio blocks by media type; the adapter\'s `maxBinarySize` applies where the operation sets none', async () => {
    const photo = await client.callTool({ name: 'photo', arguments: { id: 'P-17' } });
    // The operation declares no cap of its own: the adapter's 1KiB refuses 300 kB.
    expect(photo.isError).toBe(true);
    expect(JSON.stringify(photo.content)).toContain('maxBinarySize (1024 bytes)');
  });

  it('MCP tools and resources: bytes exact in base64 under the adapter cap', async () => {
    const roomy = await startCapstan([tempSpec(SPEC.replace('      maxBinarySize: 1KiB\n', '      maxBinarySize: 5MiB\n'), 'media.yml')], { namespaces: ['media-api', 'media-mcp'], upstream: upstream.url });
    const other = new Client({ name: 'binary-test', version: '1' });
    try {
      await other.connect(new StreamableHTTPClientTransport(new URL(roomy.mcp['media-mcp']!)));
      const photo = await other.callTool({ name: 'photo', arguments: { id: 'P-17' } });
      expect(photo.content).toEqual([{ type: 'image', mimeType: 'image/jpeg', data: PHOTO.toString('base64') }]);
      const clip = await other.callTool({ name: 'clip', arguments: {} });
      expect(clip.content).toEqual([{ type: 'audio', mimeType: 'audio/mpeg', data: CLIP.toString('base64') }]);
      const archive = await other.callTool({ name: 'archive', arguments: {} });
      expect(archive.content).toEqual([{ type: 'resource', resource: { uri: expect.stringMatching(/^capstan:\/\/transient\/media-mcp\/archive\//), mimeType: 'application/zip', blob: ARCHIVE.toString('base64') } }]);
      const read = await other.readResource({ uri: 'media://archive' });
      expect(read.contents).toEqual([{ uri: 'media://archive', mimeType: 'application/zip', blob: ARCHIVE.toString('base64') }]);
    } finally {
      await other.close();
      await roomy.stop();
    }
  });
});
