export * from './object-store';
export { FilesystemObjectStore } from './filesystem-object-store';
