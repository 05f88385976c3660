/** Reading a PDF back with poppler-utils (pdftotext, pdfinfo, pdftoppm), as a person would see it. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function withFile<T>(pdf: Buffer, use: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-pdf-'));
  try {
    const file = join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    return use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of every page, whitespace collapsed (layout wraps lines anywhere). */
export function pdfText(pdf: Buffer): string {
  return withFile(pdf, (f) => execFileSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' })).replace(/\s+/g, ' ');
}

export interface PdfInfo {
  pages: number;
  /** Points, of the first page. */
  width: number;
  height: number;
  /** pdfinfo's own name for the size ("A4", "letter"), when it knows one. */
  sizeName: string | null;
}

export function pdfInfo(pdf: Buffer): PdfInfo {
  const out = withFile(pdf, (f) => execFileSync('pdfinfo', [f], { encoding: 'utf8' }));
  const pages = Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts(?: \((\w+)\))?/m.exec(out);
  if (!size) throw new Error(`pdfinfo gave no page size:\n${out}`);
  return { pages, width: Number(size[1]), height: Number(size[2]), sizeName: size[3] ?? null };
}

/** Page 1 as a PNG at `dpi`, written to `pngPath`. */
export function firstPagePng(pdf: Buffer, pngPath: string, dpi = 60): void {
  withFile(pdf, (f) => execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', f, pngPath.replace(/\.png$/, '')]));
}
