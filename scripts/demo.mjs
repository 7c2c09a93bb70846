// The main job: serves the three bundled capabilities at once — Paragon Proxy (REST 8080, MCP
// 9090), Paragon ActionKit (REST 8081, MCP 9091) and Composio proxy execute (REST 8082, MCP
// 9092) — on loopback only, against bundled local stand-ins for the vendors, so the gateway can
// be tried with no secrets and no internet. Stop with Ctrl-C.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startActionKitMock, startComposioMock } from './mock-seeds.mjs';
import { startEchoUpstream } from './mock-upstream.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const first = Number(process.env.DEMO_UPSTREAM_PORT ?? 4010);
const echo = await startEchoUpstream({ port: first });
const actionkit = await startActionKitMock({ port: first === 0 ? 0 : first + 1 });
const composio = await startComposioMock({ port: first === 0 ? 0 : first + 2 });
console.log(`mock upstreams: Paragon proxy (echo) ${echo.url}, ActionKit ${actionkit.url}, Composio ${composio.url}`);
const args = [
  'packages/cli/dist/bundle/capstan.js', 'run', 'specs/paragon-proxy.yaml', 'specs/paragon-actionkit.yaml', 'specs/composio-proxy.yaml',
  '--host', '127.0.0.1',
  '--upstream', `paragon=${echo.url}`, '--upstream', `actionkit=${actionkit.url}`, '--upstream', `composio=${composio.url}`,
  ...process.argv.slice(2),
];
const child = spawn(process.execPath, args, {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PARAGON_TOKEN: process.env.PARAGON_TOKEN ?? 'demo-token',
    PARAGON_USER_TOKEN: process.env.PARAGON_USER_TOKEN ?? 'demo-user-token',
    COMPOSIO_API_KEY: process.env.COMPOSIO_API_KEY ?? 'demo-composio-key',
    COMPOSIO_API_KEY_HEADER: process.env.COMPOSIO_API_KEY_HEADER ?? 'x-api-key',
  },
});
console.log(`try:
  curl -s 'http://localhost:8080/projects/demo/sdk/proxy/slack/api/chat.postMessage?channel=general'
  curl -s -X POST -H 'content-type: application/json' -d '{"text":"hello"}' http://localhost:8080/projects/demo/sdk/proxy/slack/chat.postMessage
  curl -s 'http://localhost:8081/projects/demo/actions?format=openai'
  curl -s -X POST -H 'content-type: application/json' -d '{"tool":"SLACK_SEND_MESSAGE","parameters":{"channel":"C1","text":"hi"}}' http://localhost:8081/projects/demo/tools
  curl -s -X POST -H 'content-type: application/json' -d '{"endpoint":"/gmail/v1/users/me/profile","method":"GET"}' http://localhost:8082/api/v3/tools/execute/proxy
  curl -s http://localhost:8080/openapi.json
  curl -s -X POST -H 'content-type: application/json' -H 'accept: application/json, text/event-stream' -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' http://localhost:9090/mcp
`);
const stop = () => child.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', async (code) => {
  await Promise.all([echo.close(), actionkit.close(), composio.close()]);
  process.exit(code ?? 0);
});
