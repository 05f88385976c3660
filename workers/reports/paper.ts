/**
 * Paper as the renderer needs it: the viewport that matches a sheet, and the PDF margins. The
 * print view (web/src/lib/print/paper.ts) keeps the same table and margins for its @page rule;
 * the two meet only through the `paper` and `orientation` parameters of its address.
 */
export const PAGE_SIZES = ['A4', 'Letter', 'A3'] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export type Orientation = 'portrait' | 'landscape';

const MM: Record<PageSize, { width: number; height: number }> = {
  A4: { width: 210, height: 297 },
  Letter: { width: 215.9, height: 279.4 },
  A3: { width: 297, height: 420 },
};

export const MARGINS_MM = { top: 16, right: 10, bottom: 14, left: 10 } as const;

const PX_PER_MM = 96 / 25.4;

/** The sheet in CSS pixels, as oriented: the viewport the print view is laid out in. */
export function sheetPixels(size: PageSize, orientation: Orientation): { width: number; height: number } {
  const p = MM[size];
  const [w, h] = orientation === 'landscape' ? [p.height, p.width] : [p.width, p.height];
  return { width: Math.ceil(w * PX_PER_MM), height: Math.ceil(h * PX_PER_MM) };
}

export function pdfMargins(): { top: string; right: string; bottom: string; left: string } {
  const m = MARGINS_MM;
  return { top: `${m.top}mm`, right: `${m.right}mm`, bottom: `${m.bottom}mm`, left: `${m.left}mm` };
}
