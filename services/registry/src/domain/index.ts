export * from './model-name';
export * from './model';
export * from './review-policy';
export * from './review-policy-decider';
export * from './review-gates';
export * from './deployment';
export * from './request-refusal';
