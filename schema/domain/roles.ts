/** Roles within an organization, from most to least powerful. */
export const ROLES = ['owner', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const rank: Record<Role, number> = { owner: 3, editor: 2, viewer: 1 };

/** Whether `role` grants at least what `required` grants. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return rank[role] >= rank[required];
}

/** The weaker of two roles: an API token never acts above its creator. */
export function weakerRole(a: Role, b: Role): Role {
  return rank[a] <= rank[b] ? a : b;
}
