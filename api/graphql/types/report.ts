/**
 * Reports: export a dashboard as a PDF now, email it now, or on a schedule to recipients who
 * each get their own filter values. The work is a run on the reports queue (see runEvents).
 */
import { z } from 'zod';
import { ORIENTATIONS, PAGE_SIZES, forcedFilterSchema, pdfOptionsSchema, recipientSchema, type PdfOptions } from '../../../schema/domain/report';
import { reports } from '../../../schema/tables';
import { builder } from '../builder';
import { upperCaseEnum } from '../enums';
import { orgCollection } from '../collection';
import { principalOf, type Context } from '../context';
import { badInput, notFound } from '../errors';
import { encodeGlobalId, expectId } from '../ids';
import { checkSchedule, checkTimezone, nextRun } from '../schedule';
import { check } from '../validate';
import { dashboardCollection } from './dashboard';
import { RunRef } from './run';

type ReportRow = typeof reports.$inferSelect;

export const reportCollection = orgCollection<typeof reports, ReportRow>({
  typename: 'Report',
  table: reports,
  list: 'reports',
  single: 'report',
  description: 'Scheduled reports of the organization, newest first.',
});

const PageSizeEnum = upperCaseEnum('PageSize', PAGE_SIZES);
const OrientationEnum = upperCaseEnum('Orientation', ORIENTATIONS);

const FilterValuesRef = builder.objectRef<{ field: string; values: unknown[] }>('FilterValues').implement({
  fields: (t) => ({ field: t.exposeString('field'), values: t.field({ type: 'JSON', resolve: (f) => f.values }) }),
});
const RecipientRef = builder.objectRef<{ email: string; filters: { field: string; values: unknown[] }[] }>('Recipient').implement({
  fields: (t) => ({ email: t.exposeString('email'), filters: t.field({ type: [FilterValuesRef], resolve: (r) => r.filters }) }),
});
const PdfOptionsRef = builder.objectRef<PdfOptions>('PdfOptions').implement({
  fields: (t) => ({
    tab: t.exposeString('tab'),
    pageSize: t.field({ type: PageSizeEnum, resolve: (o) => o.pageSize }),
    orientation: t.field({ type: OrientationEnum, resolve: (o) => o.orientation }),
    title: t.exposeString('title', { nullable: true }),
    timeZone: t.exposeString('timeZone'),
  }),
});

reportCollection.ref.implement({
  authScopes: { member: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    dashboardId: t.id({ resolve: (r) => encodeGlobalId('Dashboard', r.dashboardId) }),
    recipients: t.field({ type: [RecipientRef], resolve: (r) => r.recipients }),
    options: t.field({ type: PdfOptionsRef, resolve: (r) => r.options }),
    subject: t.exposeString('subject', { nullable: true }),
    message: t.exposeString('message', { nullable: true }),
    schedule: t.exposeString('schedule', { nullable: true }),
    timezone: t.exposeString('timezone'),
    enabled: t.exposeBoolean('enabled'),
    nextRunAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => nextRun(r.schedule, r.timezone, r.enabled) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const FilterInput = builder.inputType('FilterValuesInput', {
  fields: (t) => ({ field: t.string({ required: true }), values: t.field({ type: 'JSON', required: true, description: 'A list of values the field must take.' }) }),
});
const RecipientInput = builder.inputType('RecipientInput', {
  fields: (t) => ({ email: t.string({ required: true }), filters: t.field({ type: [FilterInput], description: "This recipient's values, forced on every widget of their PDF." }) }),
});
const PdfOptionsInput = builder.inputType('PdfOptionsInput', {
  fields: (t) => ({
    tab: t.string({ description: 'A tab id, or "all" (default).' }),
    pageSize: t.field({ type: PageSizeEnum }),
    orientation: t.field({ type: OrientationEnum }),
    title: t.string(),
    timeZone: t.string({ description: 'For the printed timestamp and date widgets; default UTC.' }),
  }),
});
const ReportInput = builder.inputType('ReportInput', {
  fields: (t) => ({
    name: t.string(),
    dashboardId: t.id(),
    recipients: t.field({ type: [RecipientInput] }),
    options: t.field({ type: PdfOptionsInput }),
    subject: t.string(),
    message: t.string(),
    schedule: t.string({ description: 'A cron expression, e.g. "0 8 * * 1" for Mondays at 8; "" for none.' }),
    timezone: t.string(),
    enabled: t.boolean(),
  }),
});

type OptionsArg = { tab?: string | null; pageSize?: string | null; orientation?: string | null; title?: string | null; timeZone?: string | null } | null | undefined;

function parseOptions(input: OptionsArg, field: string, base?: PdfOptions): PdfOptions {
  const raw = Object.fromEntries(Object.entries({ ...(base ?? {}), ...(input ?? {}) }).filter(([, v]) => v !== null && v !== undefined));
  const options = check(pdfOptionsSchema, raw, field);
  checkTimezone(options.timeZone, `${field}.timeZone`);
  return options;
}

const recipientsSchema = z.array(recipientSchema).max(500);
const filtersSchema = z.array(forcedFilterSchema).max(20);

async function dashboardOf(ctx: Context, globalId: string, field: string) {
  const id = expectId(globalId, 'Dashboard', field);
  const [row] = await dashboardCollection.data.byIds(ctx.db, principalOf(ctx).organizationId, [id]);
  if (!row) throw notFound('Dashboard');
  return row;
}

function checkTab(model: { tabs: { id: string }[] }, tab: string, field: string) {
  if (tab !== 'all' && !model.tabs.some((t) => t.id === tab)) throw badInput(`the dashboard has no tab "${tab}"`, field);
}

builder.mutationFields((t) => ({
  exportDashboardPdf: t.field({
    type: RunRef,
    authScopes: { member: true },
    description: 'Renders the dashboard as a PDF; when the run succeeds its outputFileId is the PDF (see File.downloadUrl).',
    args: { dashboardId: t.arg.id({ required: true }), options: t.arg({ type: PdfOptionsInput }), filters: t.arg({ type: [FilterInput] }) },
    resolve: async (_root, args, ctx) => {
      const p = principalOf(ctx);
      const dashboard = await dashboardOf(ctx, String(args.dashboardId), 'dashboardId');
      const options = parseOptions(args.options, 'options');
      checkTab(dashboard.model, options.tab, 'options.tab');
      const filters = check(filtersSchema, args.filters ?? [], 'filters');
      return ctx.services.runs.start({ organizationId: p.organizationId, kind: 'pdf_export', subjectId: dashboard.id, params: { kind: 'pdf_export', options, filters, recipients: [] }, requestedBy: p.userId });
    },
  }),
  sendDashboard: t.field({
    type: RunRef,
    authScopes: { editor: true },
    description: 'Emails the dashboard as a PDF now, each recipient with their own filter values.',
    args: {
      dashboardId: t.arg.id({ required: true }),
      recipients: t.arg({ type: [RecipientInput], required: true }),
      options: t.arg({ type: PdfOptionsInput }),
      subject: t.arg.string(),
      message: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      const p = principalOf(ctx);
      const dashboard = await dashboardOf(ctx, String(args.dashboardId), 'dashboardId');
      const options = parseOptions(args.options, 'options');
      checkTab(dashboard.model, options.tab, 'options.tab');
      const recipients = check(recipientsSchema.min(1, 'give at least one recipient'), args.recipients, 'recipients');
      return ctx.services.runs.start({
        organizationId: p.organizationId,
        kind: 'pdf_export',
        subjectId: dashboard.id,
        params: { kind: 'pdf_export', options, filters: [], recipients, ...(args.subject ? { subject: args.subject.slice(0, 300) } : {}), ...(args.message ? { message: args.message.slice(0, 5000) } : {}) },
        requestedBy: p.userId,
      });
    },
  }),
  createReport: t.field({
    type: reportCollection.ref,
    authScopes: { editor: true },
    args: { input: t.arg({ type: ReportInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const p = principalOf(ctx);
      if (input.dashboardId == null) throw badInput('is required', 'input.dashboardId');
      const dashboard = await dashboardOf(ctx, String(input.dashboardId), 'input.dashboardId');
      const options = parseOptions(input.options, 'input.options');
      checkTab(dashboard.model, options.tab, 'input.options.tab');
      const timezone = input.timezone != null ? checkTimezone(input.timezone, 'input.timezone') : 'UTC';
      return reportCollection.data.insert(ctx.db, {
        organizationId: p.organizationId,
        name: check(z.string().trim().min(1, 'must not be empty').max(200), input.name ?? '', 'input.name'),
        dashboardId: dashboard.id,
        recipients: check(recipientsSchema, input.recipients ?? [], 'input.recipients'),
        options,
        subject: input.subject ?? null,
        message: input.message ?? null,
        schedule: input.schedule != null ? checkSchedule(input.schedule, timezone, 'input.schedule') : null,
        timezone,
        enabled: input.enabled ?? true,
        // Schedules start from now: creating a report never sends one for a time already past.
        lastFiredAt: new Date(),
        createdBy: p.userId,
      }) as Promise<ReportRow>;
    },
  }),
  updateReport: t.field({
    type: reportCollection.ref,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: ReportInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const current = await reportCollection.mustGet(ctx, String(id));
      const patch: Partial<typeof reports.$inferInsert> = {};
      if (input.name != null) patch.name = check(z.string().trim().min(1).max(200), input.name, 'input.name');
      if (input.dashboardId != null) patch.dashboardId = (await dashboardOf(ctx, String(input.dashboardId), 'input.dashboardId')).id;
      if (input.recipients != null) patch.recipients = check(recipientsSchema, input.recipients, 'input.recipients');
      if (input.options != null) patch.options = parseOptions(input.options, 'input.options', current.options);
      if (input.subject != null) patch.subject = input.subject || null;
      if (input.message != null) patch.message = input.message || null;
      if (input.enabled != null) patch.enabled = input.enabled;
      const timezone = input.timezone != null ? checkTimezone(input.timezone, 'input.timezone') : current.timezone;
      if (input.timezone != null) patch.timezone = timezone;
      if (input.schedule != null) {
        patch.schedule = checkSchedule(input.schedule, timezone, 'input.schedule');
        patch.lastFiredAt = new Date();
      }
      const row = await reportCollection.patch(ctx, current, patch);
      if (!row) throw notFound('Report');
      return row;
    },
  }),
  deleteReport: t.field({
    type: reportCollection.ref,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => reportCollection.remove(ctx, String(id)),
  }),
  sendReport: t.field({
    type: RunRef,
    authScopes: { editor: true },
    description: 'Sends the report now, as its schedule would.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const report = await reportCollection.mustGet(ctx, String(id));
      if (report.recipients.length === 0) throw badInput('the report has no recipients', 'id');
      const p = principalOf(ctx);
      return ctx.services.runs.start({ organizationId: p.organizationId, kind: 'report', subjectId: report.id, params: { kind: 'report' }, requestedBy: p.userId });
    },
  }),
}));
