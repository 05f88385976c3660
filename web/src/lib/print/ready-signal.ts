/**
 * How the print view tells a PDF renderer where it stands, through the DOM and the window:
 * `body[data-ready=true]` (and `window.__sightlineReady`) once every widget has its outcome,
 * `body[data-print-error]` when the page cannot show the dashboard at all, and
 * `window.__sightlineForceTimeout()` for the renderer to give up on widgets still waiting.
 */
declare global {
  interface Window {
    __sightlineReady?: boolean;
    __sightlineForceTimeout?: () => void;
  }
}

export function markReady(): void {
  document.body.dataset.ready = 'true';
  window.__sightlineReady = true;
}

export function markFailed(message: string): void {
  document.body.dataset.printError = message;
}

/** Installs the renderer's give-up handle; returns its removal. */
export function exposeForceTimeout(force: () => void): () => void {
  window.__sightlineForceTimeout = force;
  return () => {
    if (window.__sightlineForceTimeout === force) delete window.__sightlineForceTimeout;
  };
}

/** Two frames: the DOM is painted and charts have drawn at their final size. */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}
