/** Why a render failed, with a stable code; messages never contain the display token. */
export const RENDER_ERROR_CODES = [
  /** The options are malformed (an origin with a path, an unknown time zone…). */
  'INVALID_OPTIONS',
  /** Chromium could not be started, or the pool was closed. */
  'BROWSER_UNAVAILABLE',
  /** Something asked to load an address outside the platform's origin. */
  'OFF_ORIGIN',
  /** The print page could not be loaded at all (connection refused, HTTP error). */
  'PAGE_LOAD_FAILED',
  /** The print page loaded and said it cannot show the dashboard (token, dashboard, tab). */
  'PAGE_FAILED',
  /** The print page loaded but never started, so not even a timed-out report can be made. */
  'PAGE_NOT_READY',
  /** Chromium failed while printing. */
  'PDF_FAILED',
  /** The caller's signal aborted the render. */
  'ABORTED',
] as const;

export type RenderErrorCode = (typeof RENDER_ERROR_CODES)[number];

export class RenderError extends Error {
  override readonly name = 'RenderError';
  readonly code: RenderErrorCode;

  constructor(code: RenderErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isRenderError(err: unknown): err is RenderError {
  return err instanceof RenderError;
}
