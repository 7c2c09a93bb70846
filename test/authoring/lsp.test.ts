/**
 * `capstan lsp` driven over stdio by a JSON-RPC client (vscode-jsonrpc), as an editor does:
 * diagnostics with suggestions as the document changes, hovers, completion and definition.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { publishedSchema } from '@capstan/spec';
import { BIN, childEnv } from '../helpers/cli.js';
import { tempSpec } from '../helpers/tmp.js';
import { variant } from './lint-fixture.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

interface LspDiagnostic { range: { start: { line: number; character: number } }; severity: number; code: string; message: string }

describe('capstan lsp', () => {
  let child: ChildProcess;
  let rpc: MessageConnection;
  const published: Array<{ uri: string; version?: number; diagnostics: LspDiagnostic[] }> = [];
  const text = variant();
  const file = tempSpec(text);
  const uri = pathToFileURL(file).href;
  const lines = text.split('\n');
  const lineOf = (needle: string, from = 0) => lines.findIndex((l, i) => i >= from && l.includes(needle));

  const diagnosticsFor = async (version: number): Promise<LspDiagnostic[]> => {
    for (let i = 0; i < 400; i++) {
      const hit = published.find((p) => p.uri === uri && p.version === version);
      if (hit) return hit.diagnostics;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no diagnostics published for version ${version}`);
  };

  beforeAll(async () => {
    child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { env: childEnv(), stdio: ['pipe', 'pipe', 'inherit'] });
    rpc = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    rpc.onNotification('textDocument/publishDiagnostics', (p: (typeof published)[number]) => {
      published.push(p);
    });
    rpc.listen();
    const init = await rpc.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    expect(init.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true });
    await rpc.sendNotification('initialized', {});
    await rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  });
  afterAll(async () => {
    await rpc?.sendRequest('shutdown').catch(() => undefined);
    await rpc?.sendNotification('exit').catch(() => undefined);
    rpc?.dispose();
    child?.kill();
  });

  it('completes `call:` targets with the consumed operations', async () => {
    const line = lineOf('call: weather.clear-current');
    const items = await rpc.sendRequest<Array<{ label: string }>>('textDocument/completion', { textDocument: { uri }, position: { line, character: lines[line]!.indexOf('call:') + 6 } });
    expect(items.map((i) => i.label).sort()).toEqual(['weather.clear-current', 'weather.get-current', 'weather.report-current']);
  });

  it('completes `with` keys with the inputs of the called operation, and values with `<namespace>.` inputs', async () => {
    const withLine = lineOf('city: weather-mcp.city');
    const keys = await rpc.sendRequest<Array<{ label: string }>>('textDocument/completion', { textDocument: { uri }, position: { line: withLine, character: lines[withLine]!.indexOf('city') } });
    expect(keys.map((i) => i.label)).toContain('city');
    const values = await rpc.sendRequest<Array<{ label: string }>>('textDocument/completion', { textDocument: { uri }, position: { line: withLine, character: lines[withLine]!.length } });
    expect(values.map((i) => i.label)).toEqual(['weather-mcp.city']);
  });

  it('goes from a `call` to the consumed operation it names', async () => {
    const line = lineOf('call: weather.clear-current');
    const location = await rpc.sendRequest<{ uri: string; range: { start: { line: number } } }>('textDocument/definition', { textDocument: { uri }, position: { line, character: lines[line]!.indexOf('weather.') + 3 } });
    expect(location.uri).toBe(uri);
    expect(lines[location.range.start.line]).toContain('name: clear-current');
  });

  it('hovers with the schema description of the key under the cursor', async () => {
    const line = lineOf('baseUri:');
    const hover = await rpc.sendRequest<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line, character: lines[line]!.indexOf('baseUri') + 2 } });
    expect(hover.contents.value.length).toBeGreaterThan(10);
    expect(hover.contents.value).toMatch(/host/i);
  });

  it('hovers with the editor schema\'s Markdown (what `capstan schema --editor` prints): backticks as code, none escaped', async () => {
    const line = lineOf('call: weather.get-current', lineOf('type: mcp'));
    const hover = await rpc.sendRequest<{ contents: { kind: string; value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line, character: lines[line]!.indexOf('call') + 1 } });
    const tool = (publishedSchema('alpha2', 'editor').$defs as Record<string, { properties: Record<string, Record<string, unknown>> }>).McpTool!;
    expect(hover.contents).toEqual({ kind: 'markdown', value: tool.properties.call!.markdownDescription });
    expect(hover.contents.value).toContain('`<namespace>.<operation>`');
    expect(hover.contents.value).not.toMatch(/\\`/);
  });

  it('hovers in a beta5 document come from the beta5 schema', async () => {
    const beta = 'ikanos: 1.0.0-beta5\ninfo:\n  display: Weather\n  description: Current weather.\n';
    const betaUri = pathToFileURL(tempSpec(beta, 'beta.yaml')).href;
    await rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: betaUri, languageId: 'yaml', version: 1, text: beta } });
    const hover = await rpc.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: betaUri }, position: { line: 2, character: 4 } });
    const info = (publishedSchema('beta5', 'editor').$defs as Record<string, { properties: Record<string, Record<string, unknown>> }>).Info!;
    expect(hover?.contents.value).toBe(info.properties.display!.markdownDescription);
    await rpc.sendNotification('textDocument/didClose', { textDocument: { uri: betaUri } });
  });

  it('publishes no error for a valid file, then, as the text changes, the unknown call target with a suggestion', async () => {
    expect((await diagnosticsFor(1)).filter((d) => d.severity === 1)).toEqual([]);
    const line = lineOf('call: weather.get-current', lineOf('type: mcp'));
    const start = lines[line]!.indexOf('get-current');
    await rpc.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line, character: start }, end: { line, character: start + 'get-current'.length } }, text: 'get-curent' }],
    });
    const errors = (await diagnosticsFor(2)).filter((d) => d.severity === 1);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.message).toMatch(/did you mean `get-current`\?/);
    expect(errors[0]!.message).toContain('fix: write `call: weather.get-current`');
    expect(errors[0]!.range.start.line).toBe(line);
  });
});
