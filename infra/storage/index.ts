export type { FileStat, FileStorage, PutOptions, PutResult } from './file-storage';
export { STORAGE_ERROR_CODES, StorageError, isStorageError, type StorageErrorCode } from './storage-error';
export { assertStorageKey } from './storage-key';
export { createLocalStorage, type LocalStorageOptions } from './local-storage';
export { createS3Storage, type S3StorageOptions } from './s3-storage';
export { storageFromEnv, type StorageEnv } from './storage-from-env';
