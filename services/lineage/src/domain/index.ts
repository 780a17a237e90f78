export * from './source';
export * from './dataset-version';
export * from './dataset-policy';
export * from './bias-verdict';
export * from './privacy-verdict';
export * from './pseudonymization-key';
export * from './content-access';
