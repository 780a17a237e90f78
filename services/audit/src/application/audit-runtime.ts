import type { ServiceRuntime } from '@mgov/service-runtime';

/** What the audit read side needs from its service runtime. */
export type AuditRuntime = Pick<ServiceRuntime, 'db' | 'schema' | 'codec'>;
