import { adapterTypesContract } from './adapter-types.contract';
import { appendContract } from './append.contract';
import { chainContract } from './chain.contract';
import { projectionContract } from './projection.contract';
import { readAllContract } from './read-all.contract';
import { pgliteFixture, useStore } from './test-database';

describe('event store on the embedded adapter (PGlite, memory://)', () => {
  const ctx = useStore(pgliteFixture);
  adapterTypesContract(ctx);
  appendContract(ctx);
  chainContract(ctx);
  readAllContract(ctx);
  projectionContract(ctx);
});
