export * from './roles';
export * from './api-key-token';
