import { Topics } from '@mgov/messaging';
import type { ServiceModule, ServiceRuntime } from '@mgov/service-runtime';
import { type ReviewCaseRow, reviewCasesReadModel } from './cases-read-model';
import { driftAlerts } from './drift-alerts';
import { trainingData } from './training-data';

/** Human-in-the-loop review cases, quarantine on breach, and retraining requests. */
export class RetrainingService {
  readonly module: ServiceModule;
  private readonly cases;

  constructor(private readonly runtime: ServiceRuntime) {
    const data = trainingData(runtime.schema);
    this.cases = reviewCasesReadModel(runtime.schema);
    this.module = {
      readModels: [this.cases],
      reactors: [data.reactor, driftAlerts(runtime, data)],
      // The public contract downstream systems subscribe to.
      publications: [{ name: 'quarantine', topic: Topics.quarantine, eventTypes: ['ModelQuarantined'], key: (e) => (e.data as { modelName: string }).modelName }],
    };
  }

  listCases(modelName?: string): Promise<ReviewCaseRow[]> {
    return modelName
      ? this.runtime.db.query<ReviewCaseRow>(`SELECT * FROM ${this.cases.table} WHERE model_name = $1 ORDER BY opened_at`, [modelName])
      : this.runtime.db.query<ReviewCaseRow>(`SELECT * FROM ${this.cases.table} ORDER BY opened_at`);
  }
}
