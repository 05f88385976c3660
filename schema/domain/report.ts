/**
 * Reports: a dashboard as a PDF, sent by email now or on a schedule. Each recipient may have
 * filter values of their own (a region per manager): their PDF is rendered with a credential
 * that forces those filters on every query, so nobody receives another's figures.
 */
import { z } from 'zod';

export const PAGE_SIZES = ['A4', 'Letter', 'A3'] as const;
export const ORIENTATIONS = ['portrait', 'landscape'] as const;

/** Values a field must take: applied as `field in values` to every query of the render. */
export const forcedFilterSchema = z
  .object({ field: z.string().min(1).max(200), values: z.array(z.union([z.string().max(1000), z.number(), z.boolean()])).min(1).max(1000) })
  .strict();
export type ForcedFilter = z.infer<typeof forcedFilterSchema>;

export const recipientSchema = z
  .object({ email: z.string().trim().toLowerCase().email().max(320), filters: z.array(forcedFilterSchema).max(20).default([]) })
  .strict();
export type Recipient = z.infer<typeof recipientSchema>;

export const pdfOptionsSchema = z
  .object({
    /** A tab id, or 'all'. */
    tab: z.string().min(1).max(64).default('all'),
    pageSize: z.enum(PAGE_SIZES).default('A4'),
    orientation: z.enum(ORIENTATIONS).default('landscape'),
    title: z.string().max(200).optional(),
    timeZone: z.string().max(64).default('UTC'),
  })
  .strict();
export type PdfOptions = z.infer<typeof pdfOptionsSchema>;
