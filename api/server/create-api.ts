/**
 * The HTTP surface: graphql-yoga at /graphql (GraphQL over HTTP, GraphiQL served from the npm
 * package so it works air-gapped), health at /health. Features are plugins, assembled here.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createYoga, type Plugin } from 'graphql-yoga';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { ApiServices, Context } from '../graphql/context';
import { schema } from '../graphql/schema';
import { createMaskError } from './mask-error';
import { useArmor } from './plugins/use-armor';
import { useBodyLimit } from './plugins/use-body-limit';
import { useErrorCodes } from './plugins/use-error-codes';
import { useStreamedUploads } from './plugins/use-streamed-uploads';
import { createDownloads, DOWNLOAD_PATH } from './downloads';
import { createStaticWeb, DEFAULT_WEB_ROOT } from './static-web';
import { attachWebSocket, type WebSocketLimits } from './websocket';
import { useSharedSubscriptionResults } from './shared-subscriptions';

export interface ApiOptions {
  services: ApiServices;
  /** Honour X-Forwarded-For (behind a trusted reverse proxy only). */
  trustProxy?: boolean;
  maxBodyBytes?: number;
  /** Where multipart uploads are staged and how large a file may be. */
  uploads?: { dir?: string; maxFileBytes?: number };
  /** Extra plugins from the composition root (subscriptions, metrics). */
  plugins?: Plugin[];
  websocketLimits?: WebSocketLimits;
  /** The built web app to serve beside the API; null serves none. Defaults to `web/build`. */
  webRoot?: string | null;
}

function clientAddress(req: IncomingMessage | undefined, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req?.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req?.socket.remoteAddress ?? 'unknown';
}

export function createApi(options: ApiOptions) {
  const { services } = options;
  const yoga = createYoga<{ req?: IncomingMessage; connectionParams?: Record<string, unknown> }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: { title: 'Sightline GraphQL' },
    renderGraphiQL,
    logging: {
      debug: (...args) => services.logger.debug(args.map(String).join(' ')),
      info: (...args) => services.logger.info(args.map(String).join(' ')),
      warn: (...args) => services.logger.warn(args.map(String).join(' ')),
      // Client errors are expected traffic; unexpected ones are logged by maskError.
      error: (...args) => services.logger.debug(args.map(String).join(' ')),
    },
    maskedErrors: { maskError: createMaskError(services.logger), isDev: false },
    plugins: [
      useStreamedUploads({
        ...options.uploads,
        maxOperationsBytes: options.maxBodyBytes ?? 1_000_000,
        logger: services.logger,
        mayUpload: async (authorization) => {
          const p = (await services.principals.authenticate(authorization)).principal;
          return p !== null && p.kind !== 'display' && p.role !== 'viewer';
        },
      }), useBodyLimit(options.maxBodyBytes ?? 1_000_000), useArmor(), useErrorCodes(), useSharedSubscriptionResults(), ...(options.plugins ?? [])],
    context: async ({ request, req, connectionParams }): Promise<Context> => {
      // HTTP sends the token as a header; WebSocket clients send it in connection_init.
      const fromSocket = connectionParams?.['authorization'] ?? connectionParams?.['Authorization'];
      const authorization = request?.headers.get('authorization') ?? (typeof fromSocket === 'string' ? fromSocket : null);
      const auth = await services.principals.authenticate(authorization);
      return {
        services,
        db: services.db,
        principal: auth.principal,
        authFailure: auth.principal ? null : auth.reason,
        bearerToken: authorization ? (/^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1] ?? null) : null,
        clientAddress: clientAddress(req, options.trustProxy ?? false),
      };
    },
  });

  const webRoot = options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot;
  const web = webRoot ? createStaticWeb(webRoot) : null;
  // The API keeps its paths; everything else is the web app.
  const isApiPath = (url: string | undefined) => /^\/(graphql|health|ready|metrics)(?:[/?#]|$)/.test(url ?? "/");
  const downloads = createDownloads({ db: services.db, secrets: services.secrets, storage: services.storage });
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith(DOWNLOAD_PATH)) return void downloads(req, res);
    if (!web || isApiPath(req.url)) return void yoga(req, res);
    web(req, res);
  });
  // A large upload on a slow link takes longer than Node's default of five minutes.
  server.requestTimeout = 0;
  const websocket = attachWebSocket(server, yoga as never, options.websocketLimits);
  return { yoga, server, websocket };
}
