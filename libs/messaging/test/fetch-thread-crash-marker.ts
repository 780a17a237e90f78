import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The file whose absence makes crashing-fetch-thread die (once per consumer group). */
export const crashMarker = (groupId: string) => join(tmpdir(), `mgov-fetch-thread-crash-${groupId}`);
