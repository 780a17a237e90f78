import type { Admin } from 'kafkajs';
import { pause } from '../redelivery';

/**
 * Creates the missing topics and waits until every partition has a leader. Under KRaft a first
 * produce to a missing topic fails, so services call this before publishing or subscribing.
 */
export async function createMissingTopics(admin: Admin, topics: readonly string[], partitions?: number): Promise<void> {
  const wanted = [...new Set(topics)];
  if (wanted.length === 0) return;
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    try {
      // Resolves false, not throwing, when another client created them first.
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, ...(partitions ? { numPartitions: partitions } : {}) })),
      });
    } catch (error) {
      // Several services creating the same topics at once can see a topic's metadata before its
      // partitions exist ("does not host this topic-partition"): retriable, the wait below covers it.
      if (!(error as { retriable?: boolean }).retriable) throw error;
    }
  }
  // createTopics skips waiting for leaders when any topic already existed, so check ourselves.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const metadata = await admin.fetchTopicMetadata({ topics: wanted }).catch(() => null);
    const led = metadata?.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
    if (led) return;
    if (Date.now() > deadline) throw new Error(`Kafka topics ${wanted.join(', ')} still have no partition leaders after 30 s`);
    await pause(100);
  }
}
