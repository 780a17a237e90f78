import { embeddedDatabase } from '@mgov/event-store';
import { auditHarness } from './audit-test-harness';
import { chainVerificationBehaviour } from './chain-verification.suite';
import { digestBehaviour } from './digests.suite';
import { exportAndPassportBehaviour } from './export-passport.suite';
import { bulkLoadBehaviour } from './ledger-bulk-load.suite';

describe('audit API on PGlite', () => {
  const h = auditHarness(() => embeddedDatabase('memory://'), 'audit_api_unit');
  describe('verification of every chain', () => chainVerificationBehaviour(h));
  describe('signed ledger digests', () => digestBehaviour(h));
  describe('exports and passports', () => exportAndPassportBehaviour(h));
  describe('bulk loading', () => bulkLoadBehaviour(h));
});
