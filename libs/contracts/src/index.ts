import { resolve } from 'node:path';

export * from './generated/events';
export * from './contract-error';
export * from './crc64-avro';
export * from './single-object';
export * from './schema-catalog';
export * from './event-codec';
export * from './typescript-types';
export * from './subjects';

/** Where `npm run contracts:generate` writes the TypeScript types of proto/. */
export const GENERATED_TYPES_FILE = resolve(__dirname, 'generated/events.ts');
export * from './compatibility';
