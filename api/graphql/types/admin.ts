/**
 * The operations view: queues with their waiting and running jobs by organization, and the
 * unfinished jobs themselves (cancel them with cancelQueryJob). Owners see their organization;
 * instance administrators (ADMIN_EMAILS) see every organization.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { QUERY_QUEUES } from '../../../schema/jobs/query-job-contract';
import { organizations, queryJobs, users } from '../../../schema/tables';
import { builder } from '../builder';
import { principalOf, type Context } from '../context';
import { encodeGlobalId } from '../ids';
import { QueryJobRef } from './query-job';

interface OrgCounts {
  organizationId: string;
  name: string;
  waiting: number;
  running: number;
}

interface QueueView {
  queue: string;
  waiting: number;
  running: number;
  organizations: OrgCounts[];
}

const OrgCountsRef = builder.objectRef<OrgCounts>('OrganizationQueueCounts').implement({
  fields: (t) => ({
    organizationId: t.id({ resolve: (o) => encodeGlobalId('Organization', o.organizationId) }),
    name: t.exposeString('name'),
    waiting: t.exposeInt('waiting'),
    running: t.exposeInt('running'),
  }),
});

const QueueViewRef = builder.objectRef<QueueView>('QueueStatus').implement({
  fields: (t) => ({
    queue: t.exposeString('queue'),
    waiting: t.exposeInt('waiting', { description: 'All organizations.' }),
    running: t.exposeInt('running', { description: 'All organizations.' }),
    organizations: t.field({ type: [OrgCountsRef], resolve: (q) => q.organizations }),
  }),
});

/** Whether the caller administers the whole instance (every organization). */
async function isInstanceAdmin(ctx: Context): Promise<boolean> {
  const admins = ctx.services.adminEmails;
  if (admins.size === 0 || ctx.principal?.kind !== 'session') return false;
  const [me] = await ctx.db.select({ email: users.email }).from(users).where(eq(users.id, ctx.principal.userId));
  return me !== undefined && admins.has(me.email);
}

builder.queryFields((t) => ({
  queues: t.field({
    type: [QueueViewRef],
    description: 'Job queues: totals, and waiting and running jobs by organization (yours, or all for instance administrators).',
    authScopes: { owner: true },
    resolve: async (_root, _args, ctx) => {
      const p = principalOf(ctx);
      const all = await isInstanceAdmin(ctx);
      const views = await Promise.all(
        QUERY_QUEUES.map(async (queue) => {
          const counts = await ctx.services.queue.counts(queue);
          const ids = Object.keys(counts.byOrganization).filter((id) => all || id === p.organizationId);
          const names = ids.length
            ? new Map((await ctx.db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, ids))).map((o) => [o.id, o.name]))
            : new Map<string, string>();
          return {
            queue,
            waiting: counts.waiting,
            running: counts.running,
            organizations: ids.map((id) => ({ organizationId: id, name: names.get(id) ?? '', ...counts.byOrganization[id]! })),
          };
        }),
      );
      return views;
    },
  }),
  activeQueryJobs: t.field({
    type: [QueryJobRef],
    description: 'Queued and running query jobs, newest first (yours, or all for instance administrators).',
    authScopes: { owner: true },
    args: { limit: t.arg.int({ defaultValue: 100 }) },
    resolve: async (_root, args, ctx) => {
      const p = principalOf(ctx);
      const all = await isInstanceAdmin(ctx);
      const rows = await ctx.db
        .select({ id: queryJobs.id, organizationId: queryJobs.organizationId })
        .from(queryJobs)
        .where(and(inArray(queryJobs.status, ['QUEUED', 'RUNNING']), all ? undefined : eq(queryJobs.organizationId, p.organizationId)))
        .orderBy(desc(queryJobs.id))
        .limit(Math.min(Math.max(args.limit ?? 100, 1), 500));
      const snapshots = await Promise.all(rows.map((r) => ctx.services.queryJobs.snapshot(r.id)));
      return snapshots.filter((s) => s !== null);
    },
  }),
}));
