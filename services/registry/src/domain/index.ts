export * from './model-name';
export * from './model';
