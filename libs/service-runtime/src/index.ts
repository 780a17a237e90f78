export * from '@mgov/decider';
export * from './enveloping';
export * from './ports';
export * from './command-executor';
