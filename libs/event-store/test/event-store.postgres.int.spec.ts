import { adapterTypesContract } from './adapter-types.contract';
import { appendContract } from './append.contract';
import { chainContract } from './chain.contract';
import { projectionContract } from './projection.contract';
import { readAllContract } from './read-all.contract';
import { postgresFixture, useStore } from './test-database';

describe('event store on PostgreSQL (TypeORM + pg)', () => {
  const ctx = useStore(postgresFixture);
  adapterTypesContract(ctx);
  appendContract(ctx);
  chainContract(ctx);
  readAllContract(ctx);
  projectionContract(ctx);
});
