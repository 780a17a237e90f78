export * from './histogram';
export * from './profile-columns';
export * from './drift-metrics';
