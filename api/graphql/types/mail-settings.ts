/**
 * An organization's own SMTP server for its reports (owners only). Stored sealed with the
 * server key; the password is write-only. Without one, reports go through the server's
 * SMTP_* settings.
 */
import { eq } from 'drizzle-orm';
import { mailSettingsSchema, type MailSettingsInput } from '../../../schema/domain/mail';
import { organizations } from '../../../schema/tables';
import { builder } from '../builder';
import { principalOf, type Context } from '../context';
import { fromZodIssues } from '../errors';
import { OrganizationRef } from './organization';

type Stored = MailSettingsInput;

function opened(ctx: Context, sealed: string | null): Stored | null {
  return sealed ? (ctx.services.secrets.open(sealed) as Stored) : null;
}

const MailSettingsRef = builder.objectRef<Stored>('MailSettings').implement({
  description: "The organization's SMTP server for reports; the password is never shown.",
  fields: (t) => ({
    host: t.exposeString('host'),
    port: t.exposeInt('port'),
    secure: t.exposeBoolean('secure'),
    user: t.string({ nullable: true, resolve: (m) => m.user ?? null }),
    from: t.exposeString('from'),
    hasPassword: t.boolean({ resolve: (m) => m.password !== undefined }),
    rejectUnauthorized: t.boolean({ resolve: (m) => m.tls?.rejectUnauthorized ?? true }),
  }),
});

builder.objectField(OrganizationRef, 'mailSettings', (t) =>
  t.field({
    type: MailSettingsRef,
    nullable: true,
    description: 'Owners: the SMTP server reports of this organization use (null: the server-wide one).',
    resolve: (org, _args, ctx) => (ctx.principal?.role === 'owner' && ctx.principal.kind !== 'display' ? opened(ctx, org.mailSettings) : null),
  }),
);

const MailSettingsInputRef = builder.inputType('MailSettingsInput', {
  fields: (t) => ({
    host: t.string({ required: true }),
    port: t.int({ required: true }),
    secure: t.boolean({ description: 'TLS from the first byte (usually port 465); otherwise STARTTLS when offered.' }),
    user: t.string(),
    password: t.string({ description: 'Write-only; omitted on an update, the stored one is kept.' }),
    from: t.string({ required: true, description: '"Reports <reports@example.com>"' }),
    rejectUnauthorized: t.boolean({ description: "false accepts a server certificate that can't be verified." }),
  }),
});

builder.mutationField('updateMailSettings', (t) =>
  t.field({
    type: OrganizationRef,
    authScopes: { owner: true },
    description: 'Sets (or with null, removes) the SMTP server for this organization’s reports.',
    args: { input: t.arg({ type: MailSettingsInputRef }) },
    resolve: async (_root, { input }, ctx) => {
      const p = principalOf(ctx);
      let sealed: string | null = null;
      if (input) {
        const [current] = await ctx.db.select({ mailSettings: organizations.mailSettings }).from(organizations).where(eq(organizations.id, p.organizationId));
        const previous = opened(ctx, current?.mailSettings ?? null);
        const candidate: Stored = {
          host: input.host,
          port: input.port,
          secure: input.secure ?? false,
          from: input.from,
          ...(input.user ? { user: input.user } : {}),
          ...(input.user ? { password: input.password ?? (previous?.user === input.user ? previous.password : undefined) } : {}),
          ...(input.rejectUnauthorized === false ? { tls: { rejectUnauthorized: false } } : {}),
        };
        const parsed = mailSettingsSchema.safeParse(candidate);
        if (!parsed.success) throw fromZodIssues(parsed.error.issues, 'input');
        sealed = ctx.services.secrets.seal(candidate);
      }
      const [row] = await ctx.db.update(organizations).set({ mailSettings: sealed }).where(eq(organizations.id, p.organizationId)).returning();
      return row!;
    },
  }),
);
