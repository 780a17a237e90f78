import { auditDefinition } from '@mgov/audit-service';
import { experimentDefinition } from '@mgov/experiment-service';
import type { ServiceDefinition } from '@mgov/http-edge';
import { lineageDefinition } from '@mgov/lineage-service';
import { monitoringDefinition } from '@mgov/monitoring-service';
import { registryDefinition } from '@mgov/registry-service';
import { retrainingDefinition } from '@mgov/retraining-service';

/** Every MGov service, in the order they start. */
export const allServices: readonly ServiceDefinition[] = [
  lineageDefinition, experimentDefinition, registryDefinition, monitoringDefinition, retrainingDefinition, auditDefinition,
];
