import { Controller, Get, HttpCode, Inject, Put, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiConsumes, ApiProduces } from '@nestjs/swagger';
import { pipeline } from 'node:stream';
import type { Request, Response } from 'express';
import { type CommandMetadata, DomainError } from '@mgov/decider';
import { Metadata, MlflowErrorFilter, Requires } from '@mgov/http-edge';
import type { ExperimentService } from '../application/experiment-service';
import { EXPERIMENT_SERVICE, EXPERIMENTERS, READERS } from './tokens';

const PREFIX = '/api/2.0/mlflow-artifacts/artifacts/';

/** `<experiment>/<run>/artifacts[/<path>]`, the layout of a run's `mlflow-artifacts:` URI. */
function runArtifactPath(raw: string, requireFile: boolean): { experimentId: string; runId: string; path: string } {
  const segments = raw.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  const [experimentId, runId, root, ...rest] = segments;
  if (!experimentId || !runId || root !== 'artifacts' || (requireFile && rest.length === 0) || rest.some((s) => s === '.' || s === '..')) {
    throw new DomainError('EXPERIMENT.INVALID_PARAMETER_VALUE', `artifact path '${raw}' is not <experiment_id>/<run_id>/artifacts/<path> (no '.' or '..' segments)`, 400);
  }
  return { experimentId, runId, path: rest.join('/') };
}

/**
 * MLflow's artifact proxy: `mlflow.log_artifact` PUTs each file here, `list_artifacts` and downloads GET it.
 * Bytes go to the content-addressed object store; each file's sha256 is recorded on its run.
 */
@Controller('api/2.0/mlflow-artifacts')
@UseFilters(MlflowErrorFilter)
export class MlflowArtifactsController {
  constructor(@Inject(EXPERIMENT_SERVICE) private readonly experiments: ExperimentService) {}

  @Get('artifacts')
  @Requires(...READERS)
  async list(@Query('path') path: unknown) {
    if (path !== undefined && typeof path !== 'string') throw new DomainError('EXPERIMENT.INVALID_PARAMETER_VALUE', "'path' must be a string", 400);
    if (!path || path.split('/').filter(Boolean).length < 3) return { files: [] };
    const { experimentId, runId, path: dir } = runArtifactPath(path, false);
    return { files: await this.experiments.listArtifacts(experimentId, runId, dir) };
  }

  @Put('artifacts/*path')
  @HttpCode(200)
  @Requires(...EXPERIMENTERS)
  @ApiConsumes('application/octet-stream')
  async upload(@Req() request: Request, @Metadata() metadata: CommandMetadata) {
    const { experimentId, runId, path } = runArtifactPath(request.path.slice(PREFIX.length), true);
    try {
      await this.experiments.uploadArtifact(experimentId, runId, path, request, metadata);
    } catch (error) {
      request.resume();
      throw error;
    }
    return {};
  }

  @Get('artifacts/*path')
  @Requires(...READERS)
  @ApiProduces('application/octet-stream')
  async download(@Req() request: Request, @Res() response: Response) {
    const { experimentId, runId, path } = runArtifactPath(request.path.slice(PREFIX.length), true);
    const artifact = await this.experiments.openArtifact(experimentId, runId, path);
    response.status(200).set({ 'content-type': 'application/octet-stream', 'content-length': String(artifact.size), 'x-mgov-sha256': artifact.sha256 });
    pipeline(artifact.content.stream, response, (error) => {
      if (error) response.destroy(error);
    });
  }
}
