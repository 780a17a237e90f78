import { type DynamicModule, Module } from '@nestjs/common';
import type { LineageService } from '../application/lineage-service';
import { LINEAGE_SERVICE, LineageController } from './lineage.controller';

@Module({})
export class LineageHttpModule {
  static register(lineage: LineageService): DynamicModule {
    return { module: LineageHttpModule, controllers: [LineageController], providers: [{ provide: LINEAGE_SERVICE, useValue: lineage }] };
  }
}
