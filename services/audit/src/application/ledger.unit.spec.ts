import { embeddedDatabase } from '@mgov/event-store';
import { ledgerBehaviour } from './ledger.suite';

describe('audit ledger on PGlite', () => {
  ledgerBehaviour(() => embeddedDatabase('memory://'), 'audit_unit');
});
