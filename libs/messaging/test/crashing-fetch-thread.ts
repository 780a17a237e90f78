// A fetch thread that dies when it hears its first batch was handled, before committing it; once
// per consumer group: the first thread of a group creates the marker file and dies, the threads
// after it see the file and are the real thing.
import { existsSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { FetchThreadSettings } from '../src/kafka/fetch-thread-protocol';
import { crashMarker } from './fetch-thread-crash-marker';

const marker = crashMarker((workerData as FetchThreadSettings).groupId);
if (!existsSync(marker)) {
  writeFileSync(marker, 'crashed');
  const port = parentPort!;
  const on = port.on.bind(port);
  port.on = ((event: string, listener: (message: { kind?: string }) => void) =>
    on(event, (message: { kind?: string }) => (message.kind === 'handled' ? process.exit(1) : listener(message)))) as typeof port.on;
}
// After the patch above: the thread registers its listeners when it loads.
void import('../src/kafka/kafka-fetch-thread');
