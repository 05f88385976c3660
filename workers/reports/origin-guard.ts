/**
 * A render context may load the platform's own pages and nothing else. A dashboard is data
 * its owner controls, and the renderer runs inside the platform's network, so any other address
 * — another origin, a `file:` path, a cloud metadata endpoint — is refused before it leaves the
 * browser: every request is routed and checked (scheme, host and port exactly), WebSockets to
 * other hosts are closed, popups and downloads are stopped, and the platform's documents get a
 * Content-Security-Policy so what routing cannot see (a `file:` frame) is refused by Chromium.
 * Each refusal is recorded.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { RenderError } from './errors';

export type BlockedKind = 'request' | 'websocket' | 'popup' | 'download' | 'csp';

export interface BlockedRequest {
  kind: BlockedKind;
  url: string;
  /** For requests: Chromium's resource type (document, image, fetch, …); for CSP: the directive. */
  detail?: string;
}

export type OnBlocked = (blocked: BlockedRequest) => void;

/** The same scheme, host and port; nothing else is the platform. */
export function isOnOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

function webSocketOrigin(origin: string): string {
  return origin.replace(/^http/, 'ws');
}

export function contentSecurityPolicy(origin: string): string {
  const ws = webSocketOrigin(origin);
  return [
    `default-src 'self'`,
    // SvelteKit's start-up script and Svelte's style attributes are inline.
    `script-src 'self' 'unsafe-inline'`,
    `style-src 'self' 'unsafe-inline'`,
    // Charts are canvases; their images are the page's own.
    `img-src 'self' data: blob:`,
    `font-src 'self' data:`,
    `connect-src 'self' ${ws}`,
    `frame-src 'none'`,
    `child-src 'none'`,
    `worker-src 'none'`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `form-action 'none'`,
  ].join('; ');
}

/** Reports CSP refusals back to the renderer (the page itself cannot reach anything else). */
const CSP_REPORTER = `document.addEventListener('securitypolicyviolation', (e) => {
  if (typeof window.__sightlineBlocked === 'function') window.__sightlineBlocked(e.blockedURI || '', e.effectiveDirective || e.violatedDirective || '');
});`;

/** Installs the guard on a context before any page of it is opened. */
export async function guardContext(context: BrowserContext, origin: string, onBlocked: OnBlocked): Promise<void> {
  const csp = contentSecurityPolicy(origin);
  await context.route(
    () => true,
    async (route) => {
      const request = route.request();
      const url = request.url();
      if (!isOnOrigin(url, origin)) {
        onBlocked({ kind: 'request', url, detail: request.resourceType() });
        await route.abort('blockedbyclient');
        return;
      }
      if (request.resourceType() !== 'document') {
        await route.continue();
        return;
      }
      // Redirects are not followed here: the browser follows them, and each hop is routed again.
      let response;
      try {
        response = await route.fetch({ maxRedirects: 0 });
      } catch {
        // The platform is not answering: the navigation fails as it would without the guard.
        await route.abort('connectionrefused').catch(() => undefined);
        return;
      }
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
    },
  );
  const ws = webSocketOrigin(origin);
  await context.routeWebSocket(
    (url) => url.origin !== ws,
    async (socket) => {
      onBlocked({ kind: 'websocket', url: socket.url() });
      await socket.close({ code: 1008, reason: 'blocked by the report renderer' });
    },
  );
  await context.exposeBinding('__sightlineBlocked', (_source, url: unknown, directive: unknown) => {
    onBlocked({ kind: 'csp', url: String(url), detail: String(directive) });
  });
  await context.addInitScript(CSP_REPORTER);
}

/**
 * Watches the render's page: popups are closed at once, downloads cancelled (the context is
 * also created with downloads refused), and any other page the context opens is closed.
 */
export function guardPage(context: BrowserContext, page: Page, onBlocked: OnBlocked): void {
  context.on('page', (other) => {
    if (other === page) return;
    onBlocked({ kind: 'popup', url: other.url() });
    void other.close().catch(() => undefined);
  });
  // Chromium refuses `file:` subresources of a web page before any route or CSP sees them;
  // its console line is the only trace, and the attempt is worth recording.
  page.on('console', (message) => {
    const local = /^Not allowed to load local resource: (\S+)/.exec(message.text());
    if (local) onBlocked({ kind: 'request', url: local[1]!, detail: 'local file' });
  });
  page.on('download', (download) => {
    onBlocked({ kind: 'download', url: download.url() });
    void download.cancel().catch(() => undefined);
  });
}

/** The renderer's own navigations: refused outright when they leave the origin. */
export async function gotoOnOrigin(page: Page, url: string, origin: string, timeoutMs: number) {
  if (!isOnOrigin(url, origin)) throw new RenderError('OFF_ORIGIN', `Refused to open ${url.replace(/token=sld_[^&]*/, 'token=sld_…')}: the renderer only opens pages of ${origin}`);
  return page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
}
