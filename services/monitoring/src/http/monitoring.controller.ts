import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, Post } from '@nestjs/common';
import type { Prediction } from '@mgov/contracts';
import { Requires, type Role } from '@mgov/http-edge';
import type { MonitoringService } from '../application/monitoring-service';

export const MONITORING_SERVICE = Symbol('MonitoringService');
const READERS: Role[] = ['ml-engineer', 'model-reviewer', 'governance-auditor', 'data-scientist'];

@Controller('monitoring')
export class MonitoringController {
  constructor(@Inject(MONITORING_SERVICE) private readonly monitoring: MonitoringService) {}

  /** Batch ingestion for inference services that do not speak Kafka. */
  @Post('predictions')
  @HttpCode(202)
  @Requires('inference-service', 'ml-engineer')
  publish(@Body() body: { predictions: Prediction[] }) {
    return this.monitoring.publishPredictions(body?.predictions);
  }

  @Get('models/:name/versions/:version')
  @Requires(...READERS)
  version(@Param('name') name: string, @Param('version', ParseIntPipe) version: number) {
    return this.monitoring.monitoredVersion(name, version);
  }

  @Get('models/:name/versions/:version/alerts')
  @Requires(...READERS)
  alerts(@Param('name') name: string, @Param('version', ParseIntPipe) version: number) {
    return this.monitoring.listAlerts(name, version);
  }
}
