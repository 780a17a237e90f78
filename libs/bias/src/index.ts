export * from './bias-error';
export * from './bias-options';
export * from './bias-report';
export * from './bias-scanner';
export type { Metric } from './metric';
export type { LabelMetrics, PredictionMetrics } from './group-metrics';
export type { FacetPredictionMetrics } from './facet-metrics';
