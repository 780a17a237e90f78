export * from './monitoring-policy';
export * from './window-counts';
export * from './window-metrics';
export * from './window-ring';
export * from './monitor';
export * from './watermark';
