# The GraphQL API (bin/api.ts, run by tsx). Build from the repository root after
# docker/base/build-base.sh:   docker build -f docker/api.Dockerfile -t sightline/api:local .

# The production part of node_modules, chosen by the lockfile. npm ci cannot run here (no npm in
# the base, and builds must not depend on reaching a registry), so the installed tree is pruned.
FROM sightline/base:local AS deps
USER 0
WORKDIR /src
COPY package.json package-lock.json ./
COPY node_modules ./node_modules
COPY docker/base/prune-modules.mjs /prune-modules.mjs
RUN ["node", "/prune-modules.mjs", "/src", "/out/node_modules"]

FROM sightline/base:local
WORKDIR /app
# tsx would cache its transforms under /tmp, which is not writable with a read-only root.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/data \
    TSX_DISABLE_CACHE=1
COPY --from=deps /out/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY migrations ./migrations
COPY query ./query
COPY schema ./schema
COPY infra ./infra
COPY workers ./workers
COPY api ./api
COPY bin ./bin
# Code stays owned by root: the process can read it, never change it.
USER 10001
# SQLite datasource files and the sample live here; the only place the API writes to.
VOLUME ["/data"]
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node --import tsx keeps one process as PID 1, so SIGTERM reaches the server directly.
CMD ["node", "--import", "tsx", "bin/api.ts"]
