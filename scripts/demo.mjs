// The main job: serves the bundled Paragon Proxy capability (REST on 8080, MCP on 9090)
// against a bundled local echo upstream, so the gateway can be tried with no secrets and no
// internet. Stop with Ctrl-C.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEchoUpstream } from './mock-upstream.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const upstream = await startEchoUpstream({ port: Number(process.env.DEMO_UPSTREAM_PORT ?? 4010) });
console.log(`mock upstream (echo) on ${upstream.url}`);
const child = spawn(process.execPath, ['packages/cli/dist/bin.js', 'run', 'specs/paragon-proxy.yaml', '--upstream', upstream.url, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PARAGON_TOKEN: process.env.PARAGON_TOKEN ?? 'demo-token' },
});
console.log(`try:
  curl -s 'http://localhost:8080/projects/demo-project/sdk/proxy/slack/api/chat.postMessage?channel=general'
  curl -s -X POST -H 'content-type: application/json' -d '{"text":"hello"}' http://localhost:8080/projects/demo-project/sdk/proxy/slack/chat.postMessage
  curl -s http://localhost:8080/openapi.json
  curl -s -X POST -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' http://localhost:9090/mcp
`);
const stop = () => child.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', async (code) => {
  await upstream.close();
  process.exit(code ?? 0);
});
