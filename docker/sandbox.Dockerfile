# The base for user scripts (tasks): node, the SDK (`import { createClient } from '@sightline/sdk'`),
# `@sightline/script` (a client already set up for the run) and the bootstrap that runs a script
# arriving on stdin (docker/sandbox/bootstrap.mjs), nothing else. workers/scripts runs it as
#   echo '{"code": "<compiled module>", "token": "..."}' | docker run -i --read-only --cap-drop ALL \
#     --security-opt no-new-privileges --network none --user 10001:10001 \
#     -v <run folder>:/run/sightline:ro -e SIGHTLINE_API_SOCKET=/run/sightline/api.sock sightline/sandbox:local
# Build from the repository root after docker/base/build-base.sh:
#   docker build -f docker/sandbox.Dockerfile -t sightline/sandbox:local .

# The SDK is compiled here from its sources (sdk/dist is a build output, not in the repository).
FROM sightline/base:local AS sdk
USER 0
WORKDIR /src
# Only what the compiler needs to resolve the SDK's imports, not the whole installed tree.
COPY node_modules/typescript ./node_modules/typescript
COPY node_modules/graphql ./node_modules/graphql
COPY node_modules/graphql-ws ./node_modules/graphql-ws
COPY node_modules/ws ./node_modules/ws
COPY node_modules/@graphql-typed-document-node ./node_modules/@graphql-typed-document-node
COPY node_modules/@types/ws ./node_modules/@types/ws
COPY node_modules/@types/node ./node_modules/@types/node
COPY node_modules/undici-types ./node_modules/undici-types
COPY sdk/package.json sdk/tsconfig.json ./sdk/
COPY sdk/src ./sdk/src
RUN ["node", "node_modules/typescript/bin/tsc", "-p", "sdk"]

FROM sightline/base:local
# At the root, so that a script anywhere in the file system resolves '@sightline/sdk' (ES
# modules look for node_modules in the script's parent folders only; NODE_PATH does not apply).
COPY sdk/package.json sdk/README.md /node_modules/@sightline/sdk/
COPY --from=sdk /src/sdk/dist /node_modules/@sightline/sdk/dist
# The SDK's run-time dependencies: graphql-ws (which loads graphql) and ws for WebSocket on Node 20.
COPY node_modules/graphql-ws /node_modules/graphql-ws
COPY node_modules/graphql /node_modules/graphql
COPY node_modules/ws /node_modules/ws
COPY node_modules/@graphql-typed-document-node/core /node_modules/@graphql-typed-document-node/core
COPY docker/sandbox/script /node_modules/@sightline/script
COPY docker/sandbox/bootstrap.mjs /sandbox/bootstrap.mjs
WORKDIR /sandbox
ENV NODE_ENV=production
USER 10001
# Node's permission model on top of the container's limits: a script may read only the bootstrap
# and the SDK, write nowhere, start no process or worker thread and load no native addon. Node 20's
# model does not cover sockets: the container's lack of a network does (workers/scripts).
ENTRYPOINT ["node", "--disable-warning=ExperimentalWarning", "--experimental-permission", "--allow-fs-read=/sandbox/", "--allow-fs-read=/node_modules/", "--disable-proto=throw"]
CMD ["/sandbox/bootstrap.mjs"]
