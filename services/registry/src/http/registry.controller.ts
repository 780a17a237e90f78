import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import { pipeline } from 'node:stream';
import type { Response } from 'express';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires, type Role } from '@mgov/http-edge';
import type { RegistryService, SubmitCandidateInput } from '../application/registry-service';

export const REGISTRY_SERVICE = Symbol('RegistryService');
export const READERS: Role[] = ['data-steward', 'data-scientist', 'ml-engineer', 'model-reviewer', 'governance-auditor'];

/** Candidates and their review (the queue), and the registry of approved versions. */
@Controller('registry')
export class RegistryController {
  constructor(@Inject(REGISTRY_SERVICE) private readonly registry: RegistryService) {}

  /** Submits a finished run's artifact as a candidate; the security, performance and bias gates run before the answer. */
  @Post('models/:name/candidates')
  @HttpCode(201)
  @Requires('data-scientist', 'ml-engineer')
  submit(@Param('name') name: string, @Body() body: SubmitCandidateInput, @Metadata() metadata: CommandMetadata) {
    return this.registry.submitCandidate(name, body ?? ({} as SubmitCandidateInput), metadata);
  }

  /** The review queue: candidates awaiting review (`?status=rejected|registered|all`, `?model=`). */
  @Get('review-queue')
  @Requires(...READERS)
  queue(@Query('model') model?: string, @Query('status') status?: string) {
    return this.registry.reviewQueue(model || undefined, status || 'in-review');
  }

  /** One candidate with every gate's verdict, findings and evidence, its approvals or rejection. */
  @Get('models/:name/candidates/:candidateId')
  @Requires(...READERS)
  candidate(@Param('name') name: string, @Param('candidateId') candidateId: string) {
    return this.registry.candidate(name, candidateId);
  }

  /** Runs the gates still missing a verdict (a submission interrupted before judgement); nothing already judged changes. */
  @Post('models/:name/candidates/:candidateId/judge')
  @HttpCode(200)
  @Requires('data-scientist', 'ml-engineer', 'model-reviewer')
  judge(@Param('name') name: string, @Param('candidateId') candidateId: string, @Metadata() metadata: CommandMetadata) {
    return this.registry.rejudge(name, candidateId, metadata);
  }

  /** Approves a candidate that passed every gate; the reviewer must not be its submitter. */
  @Post('models/:name/candidates/:candidateId/approve')
  @HttpCode(200)
  @Requires('model-reviewer')
  approve(@Param('name') name: string, @Param('candidateId') candidateId: string, @Body() body: { justification?: string }, @Metadata() metadata: CommandMetadata) {
    return this.registry.approveCandidate(name, candidateId, body?.justification ?? '', metadata);
  }

  /** Rejects a candidate for good, with the reason. */
  @Post('models/:name/candidates/:candidateId/reject')
  @HttpCode(200)
  @Requires('model-reviewer')
  reject(@Param('name') name: string, @Param('candidateId') candidateId: string, @Body() body: { reason?: string }, @Metadata() metadata: CommandMetadata) {
    return this.registry.rejectCandidate(name, candidateId, body?.reason ?? '', metadata);
  }

  /** Registered models (approved versions only). */
  @Get('models')
  @Requires(...READERS)
  models() {
    return this.registry.listModels();
  }

  @Get('models/:name/versions')
  @Requires(...READERS)
  list(@Param('name') name: string) {
    return this.registry.listVersions(name);
  }

  @Get('models/:name/versions/:version')
  @Requires(...READERS)
  get(@Param('name') name: string, @Param('version', ParseIntPipe) version: number) {
    return this.registry.getVersion(name, version);
  }

  /** Archives a version: an event; its tag stays bound to its digest and is never reused. */
  @Post('models/:name/versions/:version/archive')
  @HttpCode(200)
  @Requires('model-reviewer')
  archive(@Param('name') name: string, @Param('version', ParseIntPipe) version: number, @Body() body: { reason?: string }, @Metadata() metadata: CommandMetadata) {
    return this.registry.archiveVersion(name, version, body?.reason ?? '', metadata);
  }

  /** The version's artifact, verified against its digest (a mismatch is refused and recorded). */
  @Get('models/:name/versions/:version/artifact')
  @Requires('ml-engineer', 'model-reviewer', 'data-scientist')
  @ApiProduces('application/octet-stream')
  async artifact(@Param('name') name: string, @Param('version', ParseIntPipe) version: number, @Metadata() metadata: CommandMetadata, @Res() response: Response) {
    this.send(response, await this.registry.download(name, version, metadata));
  }

  /** A registered artifact by digest, as rendered manifests fetch it. */
  @Get('artifacts/:digest')
  @Requires('ml-engineer', 'model-reviewer')
  @ApiProduces('application/octet-stream')
  async artifactByDigest(@Param('digest') digest: string, @Metadata() metadata: CommandMetadata, @Res() response: Response) {
    this.send(response, await this.registry.downloadByDigest(digest, metadata));
  }

  private send(response: Response, content: { bytes: number; stream: NodeJS.ReadableStream; digest: string }) {
    response.status(200).set({ 'content-type': 'application/octet-stream', 'content-length': String(content.bytes), etag: `"${content.digest}"`, 'x-mgov-digest': content.digest });
    // Bytes that stop matching on the way cut the response short instead of completing it.
    pipeline(content.stream, response, (error) => {
      if (error) response.destroy(error);
    });
  }
}
