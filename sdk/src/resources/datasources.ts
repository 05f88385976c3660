import {
  CreateDatasourceDocument,
  DeleteDatasourceDocument,
  GetDatasourceDocument,
  ListDatasourcesDocument,
  UpdateDatasourceDocument,
  type CreateDatasourceInput,
  type DatasourceFieldsFragment,
  type UpdateDatasourceInput,
} from '../generated/graphql.js';
import { pageOf } from '../paging.js';
import type { RequestTransport } from '../transport/types.js';
import { resource, type Resource } from './resource.js';

export type Datasource = DatasourceFieldsFragment;
export type { CreateDatasourceInput, UpdateDatasourceInput };
export type Datasources = Resource<Datasource, CreateDatasourceInput, UpdateDatasourceInput>;

export function createDatasources(http: RequestTransport): Datasources {
  return resource({
    page: async (args, signal) => pageOf((await http.request(ListDatasourcesDocument, args, signal)).datasources),
    get: async (id, signal) => (await http.request(GetDatasourceDocument, { id }, signal)).datasource,
    create: async (input) => (await http.request(CreateDatasourceDocument, { input })).createDatasource,
    update: async (id, input) => (await http.request(UpdateDatasourceDocument, { id, input })).updateDatasource,
    delete: async (id) => void (await http.request(DeleteDatasourceDocument, { id })),
  });
}
