/** A dashboard as a PDF: the export run, then its stored file's download link. */
import { operations, type PdfOptionsInput, type Run, type SightlineClient } from '$sdk';

export type PageSize = NonNullable<PdfOptionsInput['pageSize']>;
export type Orientation = NonNullable<PdfOptionsInput['orientation']>;

export const PAGE_SIZES: { value: PageSize; label: string }[] = [
  { value: 'A4', label: 'A4' },
  { value: 'LETTER', label: 'US Letter' },
  { value: 'A3', label: 'A3' },
];

export async function startPdfExport(c: SightlineClient, dashboardId: string, options: { pageSize: PageSize; orientation: Orientation; tab: string }): Promise<Run> {
  return (await c.request(operations.ExportDashboardPdfDocument, { id: dashboardId, options, filters: null })).exportDashboardPdf;
}

/** The finished export's file: its name and a link that works without a token for 15 minutes. */
export async function pdfLink(c: SightlineClient, runId: string): Promise<{ name: string; url: string }> {
  const run = (await c.request(operations.RunOutputDocument, { id: runId })).run;
  if (!run?.outputFileId) throw new Error('the export finished without a file');
  const file = (await c.request(operations.FileLinkDocument, { id: run.outputFileId })).file;
  if (!file) throw new Error('the exported file is no longer there');
  // The link is relative to the API, which is this app's own origin.
  return { name: file.name, url: new URL(file.downloadUrl, window.location.origin).toString() };
}
