export * from './object-store';
export { FilesystemObjectStore } from './filesystem-object-store';
export { S3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store';
export { objectStoreFromEnvironment } from './object-store-config';
