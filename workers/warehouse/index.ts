export type { LoadRequest, LoadResult, Warehouse, WarehouseTable } from './warehouse';
export { createWarehouse } from './create-warehouse';
export { WarehouseError, type WarehouseErrorCode } from './errors';
