export * from './governance-flow';
export * from './http-client';
export * from './credentials';
