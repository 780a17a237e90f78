export * from './request-actor';
export * from './error-filter';
export * from './trace-middleware';
export * from './service-definition';
export * from './health.controller';
export * from './http-app';
export * from './service-host';
export * from './standalone';
