// Test code only: the infra→test tag rule is meant for production code (see README).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { waitFor } from '@mgov/testing';
import { kafkaBus } from '../src';
import { busContract } from './bus-contract';
import { kafkaFixture, names, recorder, requireKafkaBrokers, text, unique } from './bus-fixtures';

busContract(kafkaFixture);

describe('kafka bus topics', () => {
  const bus = kafkaBus({ brokers: requireKafkaBrokers(), clientId: `mgov-messaging-test-${unique()}`, retryBackoffMs: 50 });
  afterAll(() => bus.close());

  it('creates missing topics beside existing ones, ready for an immediate publish', async () => {
    const existing = names('existing').topic;
    const fresh = names('fresh').topic;
    await bus.ensureTopics([existing]);
    await bus.ensureTopics([existing, fresh, fresh]);
    const got = recorder();
    const subscription = await bus.subscribe({ groupId: `${fresh}.g`, topics: [fresh], fromBeginning: true, handle: got.handle });
    try {
      await bus.publish(fresh, [{ key: 'k', value: text('first') }]);
      await waitFor(() => got.received.length === 1, 30_000, 'the first message');
      expect(got.received[0]).toEqual(expect.objectContaining({ topic: fresh, key: 'k', offset: '0' }));
    } finally {
      await subscription.stop();
    }
  });
});
