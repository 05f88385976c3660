/** Members, invitations and display tokens: operations the SDK has no helpers for yet. */
import { doc, type SightlineClient } from './client';

export type Role = 'OWNER' | 'EDITOR' | 'VIEWER';
export const ROLES: readonly Role[] = ['OWNER', 'EDITOR', 'VIEWER'];

export interface Member {
  id: string;
  role: Role;
  createdAt: string;
  user: { id: string; email: string; name: string };
}
export interface Invitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
}
export interface DisplayToken {
  id: string;
  name: string;
  prefix: string;
  targetKind: string;
  targetId: string;
  createdAt: string;
  lastUsedAt: string | null;
}
export interface Me {
  role: Role;
  authenticatedWith: string;
  user: { id: string; email: string; name: string };
  organization: { id: string; name: string };
  organizations: { organizationId: string; name: string; role: Role }[];
}

type Edges<T> = { edges: { node: T }[] };

const ME = doc<{ viewer: Me }, Record<string, never>>(
  `query Me { viewer { role authenticatedWith user { id email name } organization { id name } organizations { organizationId name role } } }`,
);
const MEMBERS = doc<{ viewer: { organization: { members: Edges<Member> } } }, Record<string, never>>(
  `query Members { viewer { organization { members(first: 200) { edges { node { id role createdAt user { id email name } } } } } } }`,
);
const INVITATIONS = doc<{ viewer: { organization: { invitations: Edges<Invitation> } } }, Record<string, never>>(
  `query Invitations { viewer { organization { invitations(first: 200) { edges { node { id email role expiresAt acceptedAt } } } } } }`,
);
const INVITE = doc<{ inviteMember: { token: string; invitation: Invitation } }, { email: string; role: Role }>(
  `mutation Invite($email: String!, $role: Role!) { inviteMember(email: $email, role: $role) { token invitation { id email role expiresAt } } }`,
);
const REVOKE_INVITATION = doc<{ revokeInvitation: { id: string } }, { id: string }>(`mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) { id } }`);
const UPDATE_ROLE = doc<{ updateMemberRole: { id: string; role: Role } }, { id: string; role: Role }>(
  `mutation UpdateRole($id: ID!, $role: Role!) { updateMemberRole(id: $id, role: $role) { id role } }`,
);
const REMOVE_MEMBER = doc<{ removeMember: { id: string } }, { id: string }>(`mutation RemoveMember($id: ID!) { removeMember(id: $id) { id } }`);
const ACCEPT = doc<{ acceptInvitation: { id: string } }, { token: string }>(`mutation Accept($token: String!) { acceptInvitation(token: $token) { id } }`);
const SWITCH = doc<{ switchOrganization: { token: string } }, { organizationId: string }>(
  `mutation Switch($organizationId: ID!) { switchOrganization(organizationId: $organizationId) { token } }`,
);
const LOG_OUT = doc<{ logOut: boolean }, Record<string, never>>(`mutation LogOut { logOut }`);
const DISPLAY_TOKENS = doc<{ viewer: { organization: { displayTokens: Edges<DisplayToken> } } }, Record<string, never>>(
  `query DisplayTokens { viewer { organization { displayTokens(first: 200) { edges { node { id name prefix targetKind targetId createdAt lastUsedAt } } } } } }`,
);
const CREATE_DISPLAY_TOKEN = doc<
  { createDisplayToken: { token: string; displayToken: DisplayToken } },
  { input: { name: string; dashboardId?: string; playlistId?: string } }
>(
  `mutation CreateDisplayToken($input: CreateDisplayTokenInput!) { createDisplayToken(input: $input) { token displayToken { id name prefix targetKind targetId createdAt lastUsedAt } } }`,
);
const REVOKE_DISPLAY_TOKEN = doc<{ revokeDisplayToken: { id: string } }, { id: string }>(
  `mutation RevokeDisplayToken($id: ID!) { revokeDisplayToken(id: $id) { id } }`,
);

const none = {} as Record<string, never>;
const nodes = <T>(c: Edges<T>): T[] => c.edges.map((e) => e.node);

export const me = async (c: SightlineClient): Promise<Me> => (await c.request(ME, none)).viewer;
export const listMembers = async (c: SightlineClient): Promise<Member[]> => nodes((await c.request(MEMBERS, none)).viewer.organization.members);
export const listInvitations = async (c: SightlineClient): Promise<Invitation[]> =>
  nodes((await c.request(INVITATIONS, none)).viewer.organization.invitations);
export const inviteMember = async (c: SightlineClient, email: string, role: Role) => (await c.request(INVITE, { email, role })).inviteMember;
export const revokeInvitation = async (c: SightlineClient, id: string) => void (await c.request(REVOKE_INVITATION, { id }));
export const updateMemberRole = async (c: SightlineClient, id: string, role: Role) => (await c.request(UPDATE_ROLE, { id, role })).updateMemberRole;
export const removeMember = async (c: SightlineClient, id: string) => void (await c.request(REMOVE_MEMBER, { id }));
export const acceptInvitation = async (c: SightlineClient, token: string) => void (await c.request(ACCEPT, { token }));
export const switchOrganization = async (c: SightlineClient, organizationId: string) => (await c.request(SWITCH, { organizationId })).switchOrganization.token;
export const logOut = async (c: SightlineClient) => void (await c.request(LOG_OUT, none));
export const listDisplayTokens = async (c: SightlineClient): Promise<DisplayToken[]> =>
  nodes((await c.request(DISPLAY_TOKENS, none)).viewer.organization.displayTokens);
export const createDisplayToken = async (c: SightlineClient, input: { name: string; dashboardId?: string; playlistId?: string }) =>
  (await c.request(CREATE_DISPLAY_TOKEN, { input })).createDisplayToken;
export const revokeDisplayToken = async (c: SightlineClient, id: string) => void (await c.request(REVOKE_DISPLAY_TOKEN, { id }));

/** The address a wall display opens. */
export function wallUrl(token: string): string {
  return `${window.location.origin}/wall?token=${encodeURIComponent(token)}`;
}
