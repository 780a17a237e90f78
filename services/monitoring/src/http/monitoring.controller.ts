import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { DomainError } from '@mgov/decider';
import type { Outcome, Prediction } from '@mgov/contracts';
import { Metadata, Requires, type Role } from '@mgov/http-edge';
import type { PolicyChange } from '@mgov/monitoring-domain';
import type { MonitoringService } from '../application/monitoring-service';

export const MONITORING_SERVICE = Symbol('MonitoringService');
const READERS: Role[] = ['ml-engineer', 'model-reviewer', 'governance-auditor', 'data-scientist'];

function optionalInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new DomainError('MONITORING.INVALID_QUERY', `${name} must be a positive integer`, 400);
  return Number(value);
}

@Controller('monitoring')
export class MonitoringController {
  constructor(@Inject(MONITORING_SERVICE) private readonly monitoring: MonitoringService) {}

  /** Batch ingestion for inference services that do not speak Kafka (published to mgov.predictions). */
  @Post('predictions')
  @HttpCode(202)
  @Requires('inference-service', 'ml-engineer')
  publish(@Body() body: { predictions: Prediction[] }) {
    return this.monitoring.publishPredictions(body?.predictions);
  }

  /** Ground truth for earlier predictions (published to mgov.outcomes). */
  @Post('outcomes')
  @HttpCode(202)
  @Requires('inference-service', 'ml-engineer')
  outcomes(@Body() body: { outcomes: Outcome[] }) {
    return this.monitoring.publishOutcomes(body?.outcomes);
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

  /** Metric time series: ?subject=<feature>|performance|bias:<attribute>|window&metric=psi&limit=500 */
  @Get('models/:name/versions/:version/series')
  @Requires(...READERS)
  series(
    @Param('name') name: string, @Param('version', ParseIntPipe) version: number,
    @Query('subject') subject?: string, @Query('metric') metric?: string, @Query('limit') limit?: string,
  ) {
    return this.monitoring.series(name, version, { subject, metric, limit: optionalInt(limit, 'limit') });
  }

  /** Current health per version of a model: its latest window and the alerts in it. */
  @Get('models/:name/health')
  @Requires(...READERS)
  health(@Param('name') name: string) {
    return this.monitoring.health(name);
  }

  @Get('models/:name/policy')
  @Requires(...READERS)
  policy(@Param('name') name: string) {
    return this.monitoring.policy(name);
  }

  /** Every version of the model's monitoring policy: who changed what, when (from its MonitoringPolicyChanged events). */
  @Get('models/:name/policy/history')
  @Requires(...READERS)
  policyHistory(@Param('name') name: string) {
    return this.monitoring.policyHistory(name);
  }

  /** Changes the model's monitoring policy (windows, thresholds, minimum counts); a new policy version. */
  @Post('models/:name/policy')
  @Requires('ml-engineer', 'model-reviewer')
  setPolicy(@Param('name') name: string, @Body() body: PolicyChange, @Metadata() metadata: CommandMetadata) {
    return this.monitoring.setPolicy(name, body, metadata);
  }
}
