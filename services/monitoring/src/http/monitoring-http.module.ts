import { type DynamicModule, Module } from '@nestjs/common';
import type { MonitoringService } from '../application/monitoring-service';
import { MONITORING_SERVICE, MonitoringController } from './monitoring.controller';

@Module({})
export class MonitoringHttpModule {
  static register(monitoring: MonitoringService): DynamicModule {
    return { module: MonitoringHttpModule, controllers: [MonitoringController], providers: [{ provide: MONITORING_SERVICE, useValue: monitoring }] };
  }
}
