export * from './review-case';
export * from './quarantine';
export * from './retraining';
export * from './justification';
