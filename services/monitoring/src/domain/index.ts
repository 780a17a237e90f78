export * from './drift-window';
export * from './feature-drift';
export * from './monitor';
