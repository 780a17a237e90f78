import { type DynamicModule, Module } from '@nestjs/common';
import type { LineageService } from '../application/lineage-service';
import { DatasetFilesController } from './dataset-files.controller';
import { DatasetGatesController } from './dataset-gates.controller';
import { LineageController } from './lineage.controller';
import { LINEAGE_SERVICE } from './lineage-http.tokens';

@Module({})
export class LineageHttpModule {
  static register(lineage: LineageService): DynamicModule {
    return {
      module: LineageHttpModule,
      controllers: [LineageController, DatasetFilesController, DatasetGatesController],
      providers: [{ provide: LINEAGE_SERVICE, useValue: lineage }],
    };
  }
}
