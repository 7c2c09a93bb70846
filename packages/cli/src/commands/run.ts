/** `capstan run`: serve capabilities (REST and MCP adapters) until SIGINT/SIGTERM. */
import { existsSync } from 'node:fs';
import { RESILIENCE_HELP, RESILIENCE_OPTIONS, resilienceFlags } from '../resilience-flags.js';
import { loadTunnelProviders, TUNNEL_HELP } from '../tunnels.js';
import { parseArgs } from 'node:util';
import { expandSpecArgs } from '../files.js';
import { EXIT, UsageError, type Io } from '../io.js';
import { tuneHeapForGateway } from '../gateway/heap-tuning.js';

export const RUN_HELP = `Usage: capstan run FILE|DIR... [options]

Starts every adapter of every capability given (a folder means every *.yaml/*.yml
capability document in it; shared consumes files are only imported). REST adapters
that name the same port share one server when their routes do not collide. Prints one
line per adapter with its URL on stderr (stdout carries JSON log lines only).
SIGINT/SIGTERM stops accepting, lets in-flight requests finish (up to 10 s) and exits 0;
SIGHUP reloads the files (in-flight requests finish on the old version; a file with an
error is rejected and the running version keeps serving). A spec error at start prints
the diagnostics and exits 1 without starting anything.

Options:
  --host H                    bind every HTTP adapter to H, over the files' \`address\` (default:
                              \`address\`, else 0.0.0.0 for REST and skill, localhost for MCP)
  --port NAMESPACE=PORT       override an adapter's port (repeatable; 0 picks a free port)
  --upstream NAMESPACE=URL    replace a consumed namespace's baseUri (repeatable)
  --upstream URL              replace every consumed namespace's baseUri
  --env-file F                read bind variables from a .env file as well as the environment
  --timeout MS                upstream response timeout in milliseconds (default 30000)
  --log-level LEVEL           fatal, error, warn, info (default), debug, trace or silent
  --mcp-stateless             serve MCP adapters without sessions (any replica answers any request)
  --redis URL                 share MCP sessions, resumable streams and list changes with the other
                              replicas through Redis (redis:// or rediss://), so any replica answers
                              any request of a session (see deploy/)
  --max-concurrency N         most requests handled at once across all adapters (default 1024);
                              beyond it, 503 with Retry-After
  --request-timeout MS        time allowed to receive a whole request (default 30000); slower → 408
  --watch                     reload when a capability file changes (as SIGHUP does)
  --metrics-port PORT         serve Prometheus /metrics on PORT (a control adapter serves them too)
  --credentials F             caller identity and per-caller upstream credentials (YAML; default
                              \$CAPSTAN_CREDENTIALS), e.g. Paragon User Tokens minted per user
${RESILIENCE_HELP}${TUNNEL_HELP}  -h, --help                  show this help
`;

/** Parses `NAME=VALUE` pairs of a repeatable flag. */
function pairs(flag: string, values: string[] | undefined, allowBare: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    const looksLikeUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(v);
    if (eq > 0 && !looksLikeUrl) out[v.slice(0, eq)] = v.slice(eq + 1);
    else if (allowBare) out['*'] = v;
    else throw new UsageError(`${flag} takes NAMESPACE=VALUE, not \`${v}\``);
  }
  return out;
}

export async function runCommand(argv: string[], io: Io): Promise<number> {
  tuneHeapForGateway();
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string', multiple: true },
      upstream: { type: 'string', multiple: true },
      'env-file': { type: 'string' },
      timeout: { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      'mcp-stateless': { type: 'boolean', default: false },
      redis: { type: 'string' },
      'max-concurrency': { type: 'string' },
      'request-timeout': { type: 'string' },
      'metrics-port': { type: 'string' },
      watch: { type: 'boolean', default: false },
      ...RESILIENCE_OPTIONS,
      credentials: { type: 'string' },
      tunnel: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(RUN_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('give at least one capability file or folder to run');
  const ports: Record<string, number> = {};
  for (const [ns, p] of Object.entries(pairs('--port', values.port, false))) {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port ${ns}=${p}: the port must be a whole number from 0 to 65535`);
    ports[ns] = n;
  }
  const upstreams = pairs('--upstream', values.upstream, true);
  for (const [ns, url] of Object.entries(upstreams)) {
    if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--upstream ${ns === '*' ? '' : `${ns}=`}${url}: an http(s) URL is expected`);
  }
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0)) throw new UsageError('--timeout takes a positive number of milliseconds');
  const maxConcurrency = values['max-concurrency'] === undefined ? undefined : Number(values['max-concurrency']);
  if (maxConcurrency !== undefined && (!Number.isInteger(maxConcurrency) || maxConcurrency < 1)) throw new UsageError('--max-concurrency takes a positive whole number');
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(values['log-level']!)) throw new UsageError(`--log-level must be one of ${levels.join(', ')}`);

  const redis = values.redis;
  if (redis !== undefined && !/^rediss?:\/\/[^/]/i.test(redis)) throw new UsageError('--redis takes a redis:// or rediss:// URL');
  if (redis !== undefined && values['mcp-stateless']) throw new UsageError('--redis shares MCP sessions between replicas; --mcp-stateless serves without sessions: give one of them');
  if (values['env-file'] !== undefined && !existsSync(values['env-file'])) throw new UsageError(`--env-file ${values['env-file']}: no such file`);
  const requestTimeoutMs = values['request-timeout'] === undefined ? undefined : Number(values['request-timeout']);
  if (requestTimeoutMs !== undefined && (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs <= 0)) throw new UsageError('--request-timeout takes a positive number of milliseconds');
  const metricsPort = values['metrics-port'] === undefined ? undefined : Number(values['metrics-port']);
  if (metricsPort !== undefined && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535)) throw new UsageError('--metrics-port takes a port number from 0 to 65535');

  const tunnels = await loadTunnelProviders(values.tunnel);

  // The gateway (and what it loads: fastify, the MCP SDK, observability) only for `run`.
  const { serve } = await import('../serve.js');
  return serve({
    files: expandSpecArgs(positionals), ports, upstreams,
    ...(values.host ? { host: values.host } : {}),
    ...(values['env-file'] ? { envFile: values['env-file'] } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
    logLevel: values['log-level']!,
    mcpStateless: values['mcp-stateless']!,
    ...(redis ? { mcpRedis: redis } : {}),
    ...(maxConcurrency ? { maxConcurrency } : {}),
    ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    watch: values.watch!,
    ...(metricsPort !== undefined ? { metricsPort } : {}),
    resilience: resilienceFlags(values),
    ...(values.credentials ? { credentialsFile: values.credentials } : {}),
    ...(Object.keys(tunnels).length ? { tunnels } : {}),
  }, io);
}
