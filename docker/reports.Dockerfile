# A worker for the reports queue: the worker image's application on the Chromium base
# (docker/base/build-base.sh chromium), so PDFs render inside the container. Chromium writes its
# profile under HOME (/tmp: a tmpfs with a read-only root). Build from the repository root:
#   docker build -f docker/reports.Dockerfile -t sightline/reports:local .
# Same pruned node_modules as the API image (identical steps: the build cache shares them).
FROM sightline/base:local AS deps
USER 0
WORKDIR /src
COPY package.json package-lock.json ./
COPY node_modules ./node_modules
COPY docker/base/prune-modules.mjs /prune-modules.mjs
RUN ["node", "/prune-modules.mjs", "/src", "/out/node_modules"]

FROM sightline/chromium:local
WORKDIR /app
ENV NODE_ENV=production \
    DATA_DIR=/data \
    TSX_DISABLE_CACHE=1 \
    HOME=/tmp \
    WORKER_QUEUES=reports
COPY --from=deps /out/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY migrations ./migrations
COPY query ./query
COPY schema ./schema
COPY infra ./infra
COPY workers ./workers
COPY api ./api
COPY bin ./bin
USER 10001
# SQLite datasources are opened here (the same files the API sees when they share the volume).
VOLUME ["/data"]
# The worker serves no API: healthy means the process is running and its Redis answers
# (and its health endpoint, when METRICS_PORT is set).
HEALTHCHECK --interval=15s --timeout=8s --start-period=30s --retries=3 \
  CMD ["node", "--import", "tsx", "bin/healthcheck.ts", "worker"]
CMD ["node", "--import", "tsx", "bin/worker.ts"]
