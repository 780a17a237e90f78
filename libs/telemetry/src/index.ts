export * from './attributes';
export * from './tracing';
export * from './logger';
