import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires } from '@mgov/http-edge';
import type { LineageService } from '../application/lineage-service';
import { LINEAGE_SERVICE, READERS } from './lineage-http.tokens';

/** Dataset policies and the gates that apply them: privacy gate, bias scan, waiver. */
@Controller('lineage')
export class DatasetGatesController {
  constructor(@Inject(LINEAGE_SERVICE) private readonly lineage: LineageService) {}

  @Get('datasets/:name')
  @Requires(...READERS)
  dataset(@Param('name') name: string) {
    return this.lineage.getDataset(name);
  }

  /** `{quasiIdentifiers, pseudonymize, generalize: {col: rule}, suppress, drop, k}` (k defaults to 5). */
  @Post('datasets/:name/privacy-policy')
  @HttpCode(200)
  @Requires('data-steward')
  privacyPolicy(@Param('name') name: string, @Body() body: unknown, @Metadata() metadata: CommandMetadata) {
    return this.lineage.policies.setPrivacy(name, body, metadata);
  }

  /** `{protectedAttributes, label, positive, thresholds?}` (thresholds default to {"dpl": 0.1}). */
  @Post('datasets/:name/bias-policy')
  @HttpCode(200)
  @Requires('data-steward')
  biasPolicy(@Param('name') name: string, @Body() body: unknown, @Metadata() metadata: CommandMetadata) {
    return this.lineage.policies.setBias(name, body, metadata);
  }

  /** Applies the privacy policy to a raw version: a new treated version, scanned and judged. */
  @Post('dataset-versions/:id/privacy-gate')
  @HttpCode(200)
  @Requires('data-steward')
  privacyGate(@Param('id') id: string, @Metadata() metadata: CommandMetadata) {
    return this.lineage.privacyGate.run(id, metadata);
  }

  @Post('dataset-versions/:id/bias-scan')
  @HttpCode(200)
  @Requires('data-steward')
  biasScan(@Param('id') id: string, @Metadata() metadata: CommandMetadata) {
    return this.lineage.biasScans.scan(id, metadata);
  }

  /** `{justification}`: accepts a flagged scan, which makes the version eligible for training. */
  @Post('dataset-versions/:id/bias-waiver')
  @HttpCode(200)
  @Requires('data-steward')
  biasWaiver(@Param('id') id: string, @Body() body: { justification?: unknown } | undefined, @Metadata() metadata: CommandMetadata) {
    return this.lineage.biasScans.waive(id, body?.justification, metadata);
  }
}
