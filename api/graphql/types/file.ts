import { files } from '../../../schema/tables';
import { builder } from '../builder';
import { orgCollection } from '../collection';

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
