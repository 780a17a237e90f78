export * from './run';
export * from './run-state';
export * from './experiment';
export * from './tracking-limits';
export * from './primary-artifact';
