export * from './review-case';
