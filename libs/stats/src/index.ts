export * from './histogram';
export * from './profile-columns';
export * from './drift-metrics';
export * from './inferred-type';
export * from './numeric-distribution';
export * from './streaming-profile';
export * from './exact-drift';
export * from './drift-report';
