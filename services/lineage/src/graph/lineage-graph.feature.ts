import { type DynamicModule, Module } from '@nestjs/common';
import type { ReadModel, Reactor, ServiceRuntime } from '@mgov/service-runtime';
import { SOURCE_LICENSES, SourceLicensesController } from '../licenses/source-licenses.controller';
import { SourceLicenses } from '../licenses/source-licenses';
import { OPENLINEAGE_INTAKE, OpenLineageController } from '../openlineage/openlineage.controller';
import { OpenLineageIntake } from '../openlineage/openlineage-intake';
import { LineageGraph } from './lineage-graph';
import { LINEAGE_GRAPH, LineageGraphController } from './lineage-graph.controller';
import { localLineageGraph, remoteLineageGraph } from './lineage-graph.projections';

@Module({})
export class LineageGraphHttpModule {}

export interface LineageGraphFeature {
  readonly readModels: readonly ReadModel[];
  readonly reactors: readonly Reactor[];
  readonly http: DynamicModule;
}

/** The lineage graph, OpenLineage intake and license revocation, as lineage's definition composes them. */
export function lineageGraphFeature(runtime: ServiceRuntime): LineageGraphFeature {
  const graph = new LineageGraph(runtime.db, runtime.schema);
  return {
    readModels: [localLineageGraph(runtime.schema)],
    reactors: [remoteLineageGraph(runtime.schema)],
    http: {
      module: LineageGraphHttpModule,
      controllers: [OpenLineageController, LineageGraphController, SourceLicensesController],
      providers: [
        { provide: LINEAGE_GRAPH, useValue: graph },
        { provide: OPENLINEAGE_INTAKE, useValue: new OpenLineageIntake(runtime) },
        { provide: SOURCE_LICENSES, useValue: new SourceLicenses(runtime, graph) },
      ],
    },
  };
}
