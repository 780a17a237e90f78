import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, Post } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires, type Role } from '@mgov/http-edge';
import type { RegistryService, SubmitCandidateInput } from '../application/registry-service';

export const REGISTRY_SERVICE = Symbol('RegistryService');
const READERS: Role[] = ['data-steward', 'data-scientist', 'ml-engineer', 'model-reviewer', 'governance-auditor'];

@Controller('registry/models/:name')
export class RegistryController {
  constructor(@Inject(REGISTRY_SERVICE) private readonly registry: RegistryService) {}

  @Post('candidates')
  @HttpCode(201)
  @Requires('data-scientist', 'ml-engineer')
  submit(@Param('name') name: string, @Body() body: SubmitCandidateInput, @Metadata() metadata: CommandMetadata) {
    return this.registry.submitCandidate(name, body, metadata);
  }

  @Post('candidates/:candidateId/approve')
  @HttpCode(200)
  @Requires('model-reviewer')
  approve(@Param('name') name: string, @Param('candidateId') candidateId: string, @Body() body: { justification?: string }, @Metadata() metadata: CommandMetadata) {
    return this.registry.approveCandidate(name, candidateId, body?.justification ?? '', metadata);
  }

  @Get('versions')
  @Requires(...READERS)
  list(@Param('name') name: string) {
    return this.registry.listVersions(name);
  }

  @Get('versions/:version')
  @Requires(...READERS)
  get(@Param('name') name: string, @Param('version', ParseIntPipe) version: number) {
    return this.registry.getVersion(name, version);
  }
}
