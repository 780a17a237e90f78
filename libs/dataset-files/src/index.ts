export * from './dataset-file-error';
export * from './dataset-format';
export * from './read-rows';
export * from './hash-and-stage';
export { utf8Guard } from './utf8-guard';
export { DEFAULT_MAX_LINE_BYTES } from './jsonl-rows';
export type { CsvReadOptions } from './csv-rows';
export type { JsonLinesReadOptions } from './jsonl-rows';
