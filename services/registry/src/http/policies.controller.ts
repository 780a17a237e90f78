import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires } from '@mgov/http-edge';
import type { RegistryService } from '../application/registry-service';
import { READERS, REGISTRY_SERVICE } from './registry.controller';

/** Review policies as code: YAML documents per scope (`default`, `model:<name>`, `use-case:<name>`), versioned. */
@Controller('registry/policies')
export class PoliciesController {
  constructor(@Inject(REGISTRY_SERVICE) private readonly registry: RegistryService) {}

  /** Publishes `{document: "<yaml>"}` as the scope's next version (the same document again changes nothing). */
  @Post(':scope')
  @HttpCode(200)
  @Requires('model-reviewer')
  publish(@Param('scope') scope: string, @Body() body: { document?: string }, @Metadata() metadata: CommandMetadata) {
    return this.registry.policies.publish(scope, body?.document ?? '', metadata);
  }

  @Get()
  @Requires(...READERS)
  list() {
    return this.registry.policies.list();
  }

  /** Every version of a scope's policy, oldest first. */
  @Get(':scope')
  @Requires(...READERS)
  versions(@Param('scope') scope: string) {
    return this.registry.policies.list(scope);
  }
}
