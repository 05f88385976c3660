/** Dashboards as PDFs: exported to a file, or emailed to recipients with their own filters. */
import {
  ExportDashboardPdfDocument,
  FileLinkDocument,
  RunOutputDocument,
  SendDashboardDocument,
  type FilterValuesInput,
  type PdfOptionsInput,
  type RecipientInput,
} from './generated/graphql.js';
import { SightlineError } from './errors.js';
import type { Run, Runs } from './runs.js';
import type { RequestTransport } from './transport/types.js';

export type { FilterValuesInput, PdfOptionsInput, RecipientInput };

export interface ExportPdfOptions extends PdfOptionsInput {
  /** Values forced on every widget, e.g. `[{ field: 'region', values: ['North'] }]`. */
  filters?: FilterValuesInput[];
}

export interface ExportedPdf {
  run: Run;
  fileId: string;
  name: string;
  size: number;
  /** A link that works without a token for 15 minutes. */
  url: string;
  /** The PDF's bytes. */
  download(): Promise<Uint8Array>;
}

export interface SendOptions extends PdfOptionsInput {
  subject?: string;
  message?: string;
}

export interface Reports {
  /** Renders the dashboard as a PDF and resolves once it is stored. */
  exportDashboardPdf(dashboardId: string, options?: ExportPdfOptions): Promise<ExportedPdf>;
  /** Emails the dashboard as a PDF to each recipient (with their filters); resolves with the finished run. */
  sendDashboard(dashboardId: string, recipients: (string | RecipientInput)[], options?: SendOptions): Promise<Run>;
}

export function createReports(http: RequestTransport, runs: Runs, baseUrl: string, fetchImpl: typeof fetch): Reports {
  const failed = (run: Run) => new SightlineError('REPORT_FAILED', run.message ?? `the run ended ${run.status.toLowerCase()}`);
  return {
    async exportDashboardPdf(dashboardId, options = {}) {
      const { filters, ...pdf } = options;
      const started = (await http.request(ExportDashboardPdfDocument, { id: dashboardId, options: pdf, filters: filters ?? null })).exportDashboardPdf;
      const run = await runs.wait(started.id);
      if (run.status !== 'SUCCEEDED') throw failed(run);
      const output = (await http.request(RunOutputDocument, { id: run.id })).run;
      if (!output?.outputFileId) throw new SightlineError('REPORT_FAILED', 'the export produced no file');
      const file = (await http.request(FileLinkDocument, { id: output.outputFileId })).file;
      if (!file) throw new SightlineError('REPORT_FAILED', 'the exported file is gone');
      const url = new URL(file.downloadUrl, baseUrl).toString();
      return {
        run,
        fileId: file.id,
        name: file.name,
        size: file.size,
        url,
        async download() {
          const res = await fetchImpl(url);
          if (!res.ok) throw new SightlineError('REPORT_FAILED', `downloading the PDF failed with HTTP ${res.status}`);
          return new Uint8Array(await res.arrayBuffer());
        },
      };
    },
    async sendDashboard(dashboardId, recipients, options = {}) {
      const { subject, message, ...pdf } = options;
      const list = recipients.map((r) => (typeof r === 'string' ? { email: r } : r));
      const started = (await http.request(SendDashboardDocument, { id: dashboardId, recipients: list, options: pdf, subject: subject ?? null, message: message ?? null })).sendDashboard;
      const run = await runs.wait(started.id);
      if (run.status !== 'SUCCEEDED') throw failed(run);
      return run;
    },
  };
}
