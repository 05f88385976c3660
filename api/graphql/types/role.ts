import type { Role } from '../../../schema/domain/roles';
import { builder } from '../builder';

export const RoleEnum = builder.enumType('Role', {
  description: 'OWNER manages members and everything else; EDITOR changes content; VIEWER only reads.',
  values: {
    OWNER: { value: 'owner' as Role },
    EDITOR: { value: 'editor' as Role },
    VIEWER: { value: 'viewer' as Role },
  } as const,
});
