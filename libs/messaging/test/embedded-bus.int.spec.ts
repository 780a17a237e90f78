import { busContract } from './bus-contract';
import { embeddedPgliteFixture, embeddedPostgresFixture } from './bus-fixtures';

busContract(embeddedPgliteFixture);
busContract(embeddedPostgresFixture);
