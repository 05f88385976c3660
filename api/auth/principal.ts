import type { ForcedFilter } from '../../schema/domain/report';
import type { Role } from '../../schema/domain/roles';
import type { DisplayTarget } from '../../schema/domain/display';

/** What a wall display may see: its dashboards, their datasources, its playlist. */
export interface DisplayScope {
  tokenId: string;
  target: DisplayTarget;
  playlistId: string | null;
  dashboardIds: ReadonlySet<string>;
  datasourceIds: ReadonlySet<string>;
  /** Values forced on every query (a report recipient's region); empty for wall displays. */
  filters?: readonly ForcedFilter[];
}

/** Who is calling, resolved once per request from the bearer token. */
export interface Principal {
  kind: 'session' | 'apiToken' | 'display';
  /** The person behind it; for a display, the one who created its token (or empty). */
  userId: string;
  organizationId: string;
  role: Role;
  /** The session, API token or display token row the bearer token matched. */
  credentialId: string;
  /** Set for wall displays only: everything they may read. */
  display?: DisplayScope;
}

/** Whether a principal may read an object: members read their organization, displays their scope. */
export function mayRead(principal: Principal, typename: string, id: string): boolean {
  const d = principal.display;
  if (!d) return true;
  switch (typename) {
    case 'Dashboard':
      return d.dashboardIds.has(id);
    case 'Playlist':
      return d.playlistId === id;
    case 'Datasource':
      return d.datasourceIds.has(id);
    default:
      return false;
  }
}
