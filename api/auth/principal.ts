import type { Role } from '../../schema/domain/roles';

/** Who is calling, resolved once per request from the bearer token. */
export interface Principal {
  kind: 'session' | 'apiToken';
  userId: string;
  organizationId: string;
  role: Role;
  /** The session or API token row the bearer token matched. */
  credentialId: string;
}
