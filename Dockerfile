# Capstan gateway image: `docker build -t capstan .`, then
#   docker run -v "$PWD/caps:/capabilities:ro" -p 8080:8080 -p 9090:9090 capstan
# Capabilities are read from /capabilities (mount a folder or a ConfigMap there). The health
# check calls the control adapter's /health/live on CAPSTAN_CONTROL_PORT (default 9100): declare
# a `type: control` adapter on that port.

# ---- build: the workspace, bundled into one npm package ----------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN npm install -g pnpm@10
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm build \
 && node deploy/pack.mjs /pkg \
 && cd /pkg && npm pack --pack-destination /tmp

# ---- runtime: the package installed globally, run as the unprivileged `node` user --------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production CAPSTAN_CONTROL_PORT=9100
COPY --from=build /tmp/capstan-*.tgz /tmp/
RUN npm install -g /tmp/capstan-*.tgz && rm /tmp/capstan-*.tgz && npm cache clean --force \
 && mkdir /capabilities && chown node:node /capabilities
USER node
WORKDIR /home/node
EXPOSE 8080 9090 9100
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + process.env.CAPSTAN_CONTROL_PORT + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["capstan", "run"]
CMD ["/capabilities", "--host", "0.0.0.0", "--mcp-stateless"]
