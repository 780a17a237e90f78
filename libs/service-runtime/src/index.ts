export * from '@mgov/decider';
export * from './enveloping';
export * from './ports';
export * from './command-executor';
export * from './service-module';
export * from './service-kernel';
export * from './message-decoding';
export * from './api-key-projection';
