/**
 * Paper sizes and the margins the print view leaves: the renderer's running header and footer
 * are drawn inside the top and bottom margins, so those are the larger ones.
 */
export type PaperSize = 'A4' | 'Letter' | 'A3';
export type Orientation = 'portrait' | 'landscape';

/** Width and height in millimetres, portrait. */
export const PAPER_SIZES: Record<PaperSize, { width: number; height: number }> = {
  A4: { width: 210, height: 297 },
  Letter: { width: 215.9, height: 279.4 },
  A3: { width: 297, height: 420 },
};

export const MARGINS_MM = { top: 16, right: 10, bottom: 14, left: 10 } as const;

export interface Sheet {
  /** The page, in millimetres, as oriented. */
  width: number;
  height: number;
  /** The printable area inside the margins. */
  contentWidth: number;
  contentHeight: number;
  /** The height of one dashboard grid row on paper, scaled with the width. */
  rowHeight: number;
}

export function sheetFor(paper: PaperSize, orientation: Orientation): Sheet {
  const p = PAPER_SIZES[paper];
  const [width, height] = orientation === 'landscape' ? [p.height, p.width] : [p.width, p.height];
  const contentWidth = width - MARGINS_MM.left - MARGINS_MM.right;
  const contentHeight = height - MARGINS_MM.top - MARGINS_MM.bottom;
  // The screen grid is about 16 rows per width; paper keeps that shape within readable bounds.
  const rowHeight = Math.min(18, Math.max(10, contentWidth / 16));
  return { width, height, contentWidth, contentHeight, rowHeight };
}

/** The @page rule for a sheet; built from the table above only, never from the address. */
export function pageRule(paper: PaperSize, orientation: Orientation): string {
  const m = MARGINS_MM;
  return `@page { size: ${paper} ${orientation}; margin: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm; }`;
}
