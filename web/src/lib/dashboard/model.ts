/**
 * The dashboard model as the API stores it (tabs, widgets with a query, a visualization and a
 * grid layout). The server checks the shape on save; this is the app's typed view of it.
 */
import type { Dimension, Filter, Measure, OrderBy, Query } from '$sdk';

export const WIDGET_TYPES = ['kpi', 'table', 'bar', 'line', 'area', 'pie'] as const;
export type WidgetType = (typeof WIDGET_TYPES)[number] | 'text';

export const WIDGET_LABELS: Record<WidgetType, string> = {
  kpi: 'KPI number',
  table: 'Table',
  bar: 'Bar chart',
  line: 'Line chart',
  area: 'Area chart',
  pie: 'Pie chart',
  text: 'Text',
};

export interface Layout {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface WidgetQuery {
  dimensions?: Dimension[];
  measures?: Measure[];
  filters?: Filter[];
  orderBy?: OrderBy[];
  limit?: number;
}

export interface Widget {
  id: string;
  type: WidgetType;
  title: string;
  datasourceId: string | null;
  query?: WidgetQuery;
  visualization: Record<string, unknown>;
  layout: Layout;
}

export interface Tab {
  id: string;
  title: string;
  widgets: Widget[];
}

export interface DashboardModel {
  tabs: Tab[];
  filters: { id: string; label: string; field: string }[];
  refreshIntervalSeconds: number;
}

export const GRID_COLUMNS = 12;

const DEFAULT_SIZE: Record<WidgetType, { w: number; h: number }> = {
  kpi: { w: 3, h: 2 },
  table: { w: 6, h: 4 },
  bar: { w: 6, h: 4 },
  line: { w: 6, h: 4 },
  area: { w: 6, h: 4 },
  pie: { w: 4, h: 4 },
  text: { w: 4, h: 2 },
};

export function newId(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Reads whatever the API returned into a complete model, tolerating older or partial saves. */
export function parseModel(value: unknown): DashboardModel {
  const v = (value ?? {}) as Partial<DashboardModel>;
  const tabs = Array.isArray(v.tabs) && v.tabs.length > 0 ? v.tabs : [{ id: 'tab-1', title: 'Overview', widgets: [] }];
  return {
    tabs: tabs.map((t) => ({
      id: t.id,
      title: t.title ?? '',
      widgets: (t.widgets ?? []).map((w) => ({ ...w, title: w.title ?? '', datasourceId: w.datasourceId ?? null, visualization: w.visualization ?? {} })),
    })),
    filters: v.filters ?? [],
    refreshIntervalSeconds: v.refreshIntervalSeconds ?? 0,
  };
}

/** Where a new widget goes: below everything, full rows. */
export function placeNew(tab: Tab, type: WidgetType): Layout {
  const size = DEFAULT_SIZE[type];
  const bottom = tab.widgets.reduce((m, w) => Math.max(m, w.layout.y + w.layout.h), 0);
  // Fill the last row first when there is room beside the widgets on it.
  const lastRow = tab.widgets.filter((w) => w.layout.y + w.layout.h === bottom);
  const right = lastRow.reduce((m, w) => Math.max(m, w.layout.x + w.layout.w), 0);
  const rowTop = lastRow.reduce((m, w) => Math.min(m, w.layout.y), bottom);
  if (lastRow.length > 0 && right + size.w <= GRID_COLUMNS) return { x: right, y: rowTop, ...size };
  return { x: 0, y: bottom, ...size };
}

export function defaultQuery(type: WidgetType): WidgetQuery {
  if (type === 'kpi') return { measures: [{ agg: 'count' }] };
  if (type === 'table') return { dimensions: [], measures: [{ agg: 'count' }], limit: 100 };
  return { dimensions: [], measures: [{ agg: 'count' }], limit: 50 };
}

/** What is sent to the API: empty parts left out, so equal queries share the server cache. */
export function toQuery(q: WidgetQuery | undefined): Query {
  const out: { -readonly [K in keyof Query]: Query[K] } = {};
  if (q?.dimensions?.length) out.dimensions = q.dimensions;
  if (q?.measures?.length) out.measures = q.measures;
  if (q?.filters?.length) out.filters = q.filters;
  if (q?.orderBy?.length) out.orderBy = q.orderBy;
  if (q?.limit !== undefined && q.limit !== null) out.limit = q.limit;
  return out;
}

export function isRunnable(w: Widget): boolean {
  return w.type !== 'text' && !!w.datasourceId;
}
