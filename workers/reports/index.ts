/** Dashboard reports: PDF rendering (mail delivery is in ./mail). */
export { renderDashboard, renderDashboardPdf, type RenderResult } from './render-dashboard';
export type { RenderOptions } from './render-options';
export { createBrowserPool, sharedBrowserPool, closeSharedBrowserPool, type BrowserPool, type BrowserPoolOptions } from './browser-pool';
export { RenderError, isRenderError, RENDER_ERROR_CODES, type RenderErrorCode } from './errors';
export type { BlockedRequest, BlockedKind } from './origin-guard';
export { PAGE_SIZES, type PageSize, type Orientation } from './paper';
