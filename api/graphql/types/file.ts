import { files } from '../../../schema/tables';
import { builder } from '../builder';
import { orgCollection } from '../collection';
import { downloadLink } from '../../server/downloads';

type FileRow = typeof files.$inferSelect;

export const fileCollection = orgCollection<typeof files, FileRow>({
  typename: 'File',
  table: files,
  list: 'files',
  single: 'file',
  description: 'Stored files (uploads, exports), newest first.',
});

fileCollection.ref.implement({
  authScopes: { member: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    contentType: t.exposeString('contentType'),
    size: t.exposeFloat('size', { description: 'Bytes.' }),
    sha256: t.exposeString('sha256'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    downloadUrl: t.string({
      description: 'A link to the file that works without a token for 15 minutes (relative to the API).',
      resolve: (f, _args, ctx) => downloadLink(ctx.services.secrets, f.organizationId, f.id),
    }),
  }),
});

builder.mutationField('deleteFile', (t) =>
  t.field({
    type: fileCollection.ref,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => fileCollection.remove(ctx, String(id)),
  }),
);
