import { postgresDatabase } from '@mgov/event-store';
import { auditHarness } from './audit-test-harness';
import { chainVerificationBehaviour } from './chain-verification.suite';
import { digestBehaviour } from './digests.suite';
import { exportAndPassportBehaviour } from './export-passport.suite';
import { bulkLoadBehaviour } from './ledger-bulk-load.suite';

const url = process.env.MGOV_DATABASE_URL;
const open = () => postgresDatabase(url!, { applicationName: 'mgov-audit-test' });

// Needs a real PostgreSQL: `node tools/infra/run-with-infra.js npx jest services/audit`.
if (!(url)) throw new Error('a real PostgreSQL (and Kafka) is needed: run the suite with tools/infra/run-with-infra.js, which sets MGOV_DATABASE_URL and MGOV_KAFKA_BROKERS');
describe('audit API on PostgreSQL', () => {
  const h = auditHarness(open, `audit_api_it_${process.pid}`);
  describe('verification of every chain', () => chainVerificationBehaviour(h, { url: url!, open }));
  describe('signed ledger digests', () => digestBehaviour(h));
  describe('exports and passports', () => exportAndPassportBehaviour(h));
  describe('bulk loading', () => bulkLoadBehaviour(h));
});
