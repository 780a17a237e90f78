import { Body, Controller, Get, HttpCode, Inject, Post, Query, UseFilters } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, MlflowErrorFilter, Requires } from '@mgov/http-edge';
import type { ExperimentService } from '../application/experiment-service';
import type { RunView } from '../application/tracking-queries';
import {
  body, datasetInputs, keyValues, metricPoint, metricPoints, optionalInt, optionalString, requiredString, runStatus, stringList, viewType,
} from './mlflow-json';
import { EXPERIMENT_SERVICE, EXPERIMENTERS, READERS } from './tokens';

/** MLflow's run shape; a run MGov refused at start (native API) shows as FAILED, the nearest status MLflow has. */
const mlflowRun = ({ info, data, inputs }: RunView) => ({ info: info.status === 'REFUSED' ? { ...info, status: 'FAILED' } : info, data, inputs });

/**
 * MLflow's tracking REST API 2.0 (the endpoints the MLflow clients use for experiments and runs),
 * with MLflow's field names, response shapes and `{error_code, message}` errors.
 */
@Controller('api/2.0/mlflow')
@UseFilters(MlflowErrorFilter)
export class MlflowController {
  constructor(@Inject(EXPERIMENT_SERVICE) private readonly experiments: ExperimentService) {}

  @Post('experiments/create')
  @HttpCode(200)
  @Requires(...EXPERIMENTERS)
  async createExperiment(@Body() raw: unknown, @Metadata() metadata: CommandMetadata) {
    const b = body(raw);
    const { experimentId } = await this.experiments.createExperiment(
      { name: requiredString(b, 'name'), artifactLocation: optionalString(b, 'artifact_location'), tags: keyValues(b, 'tags') }, metadata,
    );
    return { experiment_id: experimentId };
  }

  @Get('experiments/get')
  @Requires(...READERS)
  async getExperiment(@Query() query: Record<string, unknown>) {
    return { experiment: await this.experiments.queries.experimentById(requiredString(body(query), 'experiment_id')) };
  }

  @Get('experiments/get-by-name')
  @Requires(...READERS)
  async getExperimentByName(@Query() query: Record<string, unknown>) {
    return { experiment: await this.experiments.queries.experimentByName(requiredString(body(query), 'experiment_name')) };
  }

  @Post('experiments/search')
  @HttpCode(200)
  @Requires(...READERS)
  searchExperiments(@Body() raw: unknown) {
    return this.search(body(raw));
  }

  @Get('experiments/search')
  @Requires(...READERS)
  searchExperimentsGet(@Query() query: Record<string, unknown>) {
    return this.search(body(query));
  }

  @Post('runs/create')
  @HttpCode(200)
  @Requires(...EXPERIMENTERS)
  async createRun(@Body() raw: unknown, @Metadata() metadata: CommandMetadata) {
    const b = body(raw);
    const run = await this.experiments.createRun({
      experimentId: requiredString(b, 'experiment_id'), runName: optionalString(b, 'run_name'), startTime: optionalInt(b, 'start_time'), tags: keyValues(b, 'tags'),
    }, metadata);
    return { run: mlflowRun(run) };
  }

  @Get('runs/get')
  @Requires(...READERS)
  async getRun(@Query() query: Record<string, unknown>) {
    return { run: mlflowRun(await this.experiments.queries.run(requiredString(body(query), 'run_id', 'run_uuid'))) };
  }

  @Post('runs/update')
  @HttpCode(200)
  @Requires(...EXPERIMENTERS)
  async updateRun(@Body() raw: unknown, @Metadata() metadata: CommandMetadata) {
    const b = body(raw);
    const runId = requiredString(b, 'run_id', 'run_uuid');
    const info = await this.experiments.updateRun(runId, { status: runStatus(b), endTime: optionalInt(b, 'end_time'), runName: optionalString(b, 'run_name') }, metadata);
    return { run_info: info };
  }

  @Post('runs/delete')
  @HttpCode(200)
  @Requires(...EXPERIMENTERS)
  async deleteRun(@Body() raw: unknown, @Metadata() metadata: CommandMetadata) {
    await this.experiments.deleteRun(requiredString(body(raw), 'run_id'), metadata);
    return {};
  }

  @Post('runs/log-metric')
  @HttpCode(200)
  @Requires(...EXPERIMENTERS)
  async logMetric(@Body() raw: unknown, @Metadata() metadata: CommandMetadata) {
    const b = body(raw);
    await this.experiments.logData(requiredString(b, 'run_id', 'run_uuid'), { metrics: [metricPoint(b, 'metric', metadata.now)] }, metadata);
    return {};
  }

  @Post('runs/log-parameter')
  @HttpCode(200)
  @Requires(...EXPERIMENTERS)
  async logParam(@Body() raw: unknown, @Metadata() metadata: CommandMetadata) {
    const b = body(raw);
    const runId = requiredString(b, 'run_id', 'run_uuid');
    await this.experiments.logData(runId, { params: keyValues({ params: [{ key: b.key, value: b.value }] }, 'params') }, metadata);
    return {};
  }

  @Post('runs/set-tag')
  @HttpCode(200)
  @Requires(...EXPERIMENTERS)
  async setTag(@Body() raw: unknown, @Metadata() metadata: CommandMetadata) {
    const b = body(raw);
    const runId = requiredString(b, 'run_id', 'run_uuid');
    await this.experiments.logData(runId, { tags: keyValues({ tags: [{ key: b.key, value: b.value }] }, 'tags') }, metadata);
    return {};
  }

  @Post('runs/log-batch')
  @HttpCode(200)
  @Requires(...EXPERIMENTERS)
  async logBatch(@Body() raw: unknown, @Metadata() metadata: CommandMetadata) {
    const b = body(raw);
    const runId = requiredString(b, 'run_id');
    await this.experiments.logData(runId, { metrics: metricPoints(b, 'metrics', metadata.now), params: keyValues(b, 'params'), tags: keyValues(b, 'tags') }, metadata);
    return {};
  }

  @Post('runs/log-inputs')
  @HttpCode(200)
  @Requires(...EXPERIMENTERS)
  async logInputs(@Body() raw: unknown, @Metadata() metadata: CommandMetadata) {
    const b = body(raw);
    await this.experiments.logInputs(requiredString(b, 'run_id'), datasetInputs(b), metadata);
    return {};
  }

  @Post('runs/search')
  @HttpCode(200)
  @Requires(...READERS)
  async searchRuns(@Body() raw: unknown) {
    const b = body(raw);
    const result = await this.experiments.queries.searchRuns({
      experimentIds: stringList(b, 'experiment_ids'), filter: optionalString(b, 'filter'), orderBy: stringList(b, 'order_by'),
      maxResults: optionalInt(b, 'max_results'), pageToken: optionalString(b, 'page_token'), viewType: viewType(b, 'run_view_type'),
    });
    return { runs: result.runs.map(mlflowRun), ...(result.next_page_token ? { next_page_token: result.next_page_token } : {}) };
  }

  @Get('metrics/get-history')
  @Requires(...READERS)
  getMetricHistory(@Query() query: Record<string, unknown>) {
    const b = body(query);
    return this.experiments.queries.metricHistory(requiredString(b, 'run_id', 'run_uuid'), requiredString(b, 'metric_key'), {
      maxResults: optionalInt(b, 'max_results'), pageToken: optionalString(b, 'page_token'),
    });
  }

  /**
   * MLflow 3 clients look for logged models when listing a run's artifacts. MGov keeps models in its
   * registry (reviewed, digest-bound), not as MLflow logged models, so there are none to find here.
   */
  @Post('logged-models/search')
  @HttpCode(200)
  @Requires(...READERS)
  searchLoggedModels(@Body() raw: unknown) {
    body(raw);
    return { models: [] };
  }

  private search(b: Record<string, unknown>) {
    return this.experiments.queries.searchExperiments({ maxResults: optionalInt(b, 'max_results'), pageToken: optionalString(b, 'page_token'), filter: optionalString(b, 'filter') });
  }
}
