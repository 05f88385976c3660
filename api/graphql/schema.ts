import { builder } from './builder';
import './scalars';
import './types/role';
import './types/user';
import './types/organization';
import './types/auth';
import './types/members';
import './types/api-tokens';
import './types/datasource';
import './types/datasource-inspect';
import './types/dashboard';
import './types/playlist';
import './types/task';
import './types/query-job';
import './types/file';
import './types/wall';
import './types/admin';

export const schema = builder.toSchema({ sortSchema: true });
