export * from './source';
export * from './dataset-version';
