/**
 * The PDF's running header (title, timestamp) and footer (page numbers). Chromium draws them
 * in the page margins from HTML that may not load anything, so styles are inline and every
 * value is escaped: the title comes from the dashboard's owner.
 */
const BOX = 'font-family: system-ui, "Liberation Sans", sans-serif; font-size: 8px; color: #5b6472; width: 100%; margin: 0 10mm; display: flex; justify-content: space-between; gap: 8mm;';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function headerTemplate(title: string, timestamp: string): string {
  return `<div style='${BOX}'><span style="overflow: hidden; text-overflow: ellipsis; white-space: nowrap;">${escapeHtml(title)}</span><span style="white-space: nowrap;">${escapeHtml(timestamp)}</span></div>`;
}

export function footerTemplate(): string {
  return `<div style='${BOX} justify-content: center;'><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
}
