import {
  CreateDashboardDocument,
  DeleteDashboardDocument,
  GetDashboardDocument,
  ListDashboardsDocument,
  UpdateDashboardDocument,
  type CreateDashboardInput,
  type DashboardFieldsFragment,
  type UpdateDashboardInput,
} from '../generated/graphql.js';
import { pageOf } from '../paging.js';
import type { RequestTransport } from '../transport/types.js';
import { resource, type Resource } from './resource.js';

export type Dashboard = DashboardFieldsFragment;
export type { CreateDashboardInput, UpdateDashboardInput };
export type Dashboards = Resource<Dashboard, CreateDashboardInput, UpdateDashboardInput>;

export function createDashboards(http: RequestTransport): Dashboards {
  return resource({
    page: async (args, signal) => pageOf((await http.request(ListDashboardsDocument, args, signal)).dashboards),
    get: async (id, signal) => (await http.request(GetDashboardDocument, { id }, signal)).dashboard,
    create: async (input) => (await http.request(CreateDashboardDocument, { input })).createDashboard,
    update: async (id, input) => (await http.request(UpdateDashboardDocument, { id, input })).updateDashboard,
    delete: async (id) => void (await http.request(DeleteDashboardDocument, { id })),
  });
}
