import { z } from 'zod';

export const WIDGET_TYPES = ['kpi', 'table', 'bar', 'line', 'area', 'pie', 'text'] as const;
export type WidgetType = (typeof WIDGET_TYPES)[number];

const id = z.string().min(1).max(64);

export const widgetLayoutSchema = z
  .object({
    x: z.number().int().min(0).max(48),
    y: z.number().int().min(0).max(10_000),
    w: z.number().int().min(1).max(48),
    h: z.number().int().min(1).max(200),
  })
  .strict();

export const widgetSchema = z
  .object({
    id,
    type: z.enum(WIDGET_TYPES),
    title: z.string().max(200).default(''),
    /** Global id of the datasource the widget queries; null for text widgets. */
    datasourceId: z.string().max(200).nullable().default(null),
    /** A JSON query (query-language.md), checked by the engine when it runs. */
    query: z.unknown().optional(),
    /** Chart options, free-form for the front end (colours, axes, number formats). */
    visualization: z.record(z.string(), z.unknown()).default({}),
    layout: widgetLayoutSchema,
  })
  .strict();

export const dashboardFilterSchema = z
  .object({
    id,
    label: z.string().max(200),
    field: z.string().min(1).max(200),
  })
  .strict();

export const dashboardTabSchema = z
  .object({
    id,
    title: z.string().max(200),
    widgets: z.array(widgetSchema).max(200),
  })
  .strict();

export const dashboardModelSchema = z
  .object({
    tabs: z.array(dashboardTabSchema).min(1).max(50),
    filters: z.array(dashboardFilterSchema).max(50).default([]),
    refreshIntervalSeconds: z.number().int().min(0).max(86_400).default(0),
  })
  .strict()
  .superRefine((model, ctx) => {
    const seen = new Set<string>();
    model.tabs.forEach((tab, t) => {
      tab.widgets.forEach((w, i) => {
        if (seen.has(w.id)) {
          ctx.addIssue({ code: 'custom', message: `widget id "${w.id}" is used twice`, path: ['tabs', t, 'widgets', i, 'id'] });
        }
        seen.add(w.id);
      });
    });
  });

export type DashboardModel = z.infer<typeof dashboardModelSchema>;
export type Widget = z.infer<typeof widgetSchema>;

export const emptyDashboardModel = (): DashboardModel => ({
  tabs: [{ id: 'tab-1', title: 'Overview', widgets: [] }],
  filters: [],
  refreshIntervalSeconds: 0,
});
