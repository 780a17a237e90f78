import { platformAcls } from '../src';

const allowed = (acls: ReturnType<typeof platformAcls>, principal: string, operation: string, topic: string) =>
  acls.some((a) => a.principal === `User:${principal}` && a.resource === 'topic' && a.operation === operation
    && (a.pattern === 'literal' ? a.name === topic : topic.startsWith(a.name)));

describe('the platform\'s Kafka ACL plan', () => {
  const acls = platformAcls({ inferencePrincipals: ['scoring-api'], quarantineSubscribers: ['billing'] });

  it('lets each service write its own log only, and read every MGov topic', () => {
    expect(allowed(acls, 'mgov-registry', 'write', 'mgov.registry.events')).toBe(true);
    expect(allowed(acls, 'mgov-registry', 'write', 'mgov.lineage.events')).toBe(false);
    expect(allowed(acls, 'mgov-audit', 'write', 'mgov.audit.events')).toBe(true);
    expect(allowed(acls, 'mgov-lineage', 'read', 'mgov.registry.events')).toBe(true);
    expect(allowed(acls, 'mgov-retraining', 'write', 'mgov.quarantine')).toBe(true);
    expect(allowed(acls, 'mgov-monitoring', 'write', 'mgov.quarantine')).toBe(false);
  });

  it('lets inference services publish predictions and outcomes, and downstream systems read quarantines, nothing more', () => {
    expect(allowed(acls, 'scoring-api', 'write', 'mgov.predictions')).toBe(true);
    expect(allowed(acls, 'scoring-api', 'write', 'mgov.outcomes')).toBe(true);
    expect(allowed(acls, 'scoring-api', 'write', 'mgov.registry.events')).toBe(false);
    expect(allowed(acls, 'scoring-api', 'read', 'mgov.registry.events')).toBe(false);
    expect(allowed(acls, 'billing', 'read', 'mgov.quarantine')).toBe(true);
    expect(allowed(acls, 'billing', 'write', 'mgov.quarantine')).toBe(false);
    expect(allowed(acls, 'billing', 'read', 'mgov.registry.events')).toBe(false);
  });

  it('says why for every ACL, and names principals with the configured prefix', () => {
    expect(acls.every((a) => a.why.length > 0)).toBe(true);
    expect(platformAcls({ servicePrefix: 'prod-' }).map((a) => a.principal)).toContain('User:prod-registry');
  });
});
