export * from './governance-flow';
export * from './http-client';
export * from './credentials';
export * from './demo-dataset';
export * from './eligible-dataset';
export * from './retraining-loop';
export { sampler } from './sampler';
