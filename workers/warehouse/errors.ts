export const WAREHOUSE_ERROR_CODES = ['BAD_TABLE', 'COLUMNS_MISMATCH', 'LOAD_FAILED', 'CANCELLED', 'NOT_FOUND'] as const;
export type WarehouseErrorCode = (typeof WAREHOUSE_ERROR_CODES)[number];

export class WarehouseError extends Error {
  override readonly name = 'WarehouseError';
  constructor(
    readonly code: WarehouseErrorCode,
    message: string,
  ) {
    super(message);
  }
}
