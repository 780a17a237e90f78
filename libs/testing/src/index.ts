export * from './decider-spec';
export * from './wait-for';
export * from './seeded-random';
