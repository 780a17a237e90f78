import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires } from '@mgov/http-edge';
import type { RetrainingService } from '../application/retraining-service';

export const RETRAINING_SERVICE = Symbol('RetrainingService');
const READERS = ['model-reviewer', 'ml-engineer', 'data-scientist', 'governance-auditor'] as const;
type Justified = { justification?: unknown } | undefined;

/** Review cases (human in the loop), quarantine release, and retrainings. */
@ApiTags('retraining')
@Controller('retraining')
export class RetrainingController {
  constructor(@Inject(RETRAINING_SERVICE) private readonly retraining: RetrainingService) {}

  @Get('cases')
  @ApiOperation({ summary: 'Review cases, oldest first; filter by ?model= and ?status=open|acknowledged|confirmed|dismissed' })
  @Requires(...READERS)
  cases(@Query('model') model?: string, @Query('status') status?: string) {
    return this.retraining.listCases({ model, status });
  }

  @Get('cases/:caseId')
  @ApiOperation({ summary: 'One review case: alerts with evidence and windows, links, decisions, notifications, quarantine and retraining' })
  @Requires(...READERS)
  case(@Param('caseId') caseId: string) {
    return this.retraining.getCase(caseId);
  }

  @Post('cases/:caseId/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge a case (someone is on it): {"justification": "…"}' })
  @Requires('model-reviewer', 'ml-engineer')
  acknowledge(@Param('caseId') caseId: string, @Body() body: Justified, @Metadata() metadata: CommandMetadata) {
    return this.retraining.decide(caseId, 'acknowledge', body?.justification, metadata);
  }

  @Post('cases/:caseId/dismiss')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss a case as a false positive (closes it): {"justification": "…"}' })
  @Requires('model-reviewer', 'ml-engineer')
  dismiss(@Param('caseId') caseId: string, @Body() body: Justified, @Metadata() metadata: CommandMetadata) {
    return this.retraining.decide(caseId, 'dismiss', body?.justification, metadata);
  }

  @Post('cases/:caseId/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the alerts of a case as a real problem: {"justification": "…"}' })
  @Requires('model-reviewer', 'ml-engineer')
  confirm(@Param('caseId') caseId: string, @Body() body: Justified, @Metadata() metadata: CommandMetadata) {
    return this.retraining.decide(caseId, 'confirm', body?.justification, metadata);
  }

  @Post('cases/:caseId/release')
  @HttpCode(200)
  @ApiOperation({ summary: "Release the quarantine of the case's model version (a reviewer who did not submit the model): {\"justification\": \"…\"}" })
  @Requires('model-reviewer')
  release(@Param('caseId') caseId: string, @Body() body: Justified, @Metadata() metadata: CommandMetadata) {
    return this.retraining.release(caseId, body?.justification, metadata);
  }

  @Get('retrainings')
  @ApiOperation({ summary: 'Retrainings, oldest first; filter by ?model= and ?status=' })
  @Requires(...READERS)
  retrainings(@Query('model') model?: string, @Query('status') status?: string) {
    return this.retraining.listRetrainings({ model, status });
  }

  @Get('retrainings/:retrainingId')
  @Requires(...READERS)
  retrainingOne(@Param('retrainingId') retrainingId: string) {
    return this.retraining.getRetraining(retrainingId);
  }

  @Post('retrainings/:retrainingId/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a retraining to run; the approver becomes the submitter of its candidate: {"justification": "…"}' })
  @Requires('ml-engineer', 'data-scientist', 'model-reviewer')
  approve(@Param('retrainingId') retrainingId: string, @Body() body: Justified, @Metadata() metadata: CommandMetadata) {
    return this.retraining.approveOrCancel(retrainingId, 'Approve', body?.justification, metadata);
  }

  @Post('retrainings/:retrainingId/cancel')
  @HttpCode(200)
  @Requires('ml-engineer', 'data-scientist', 'model-reviewer')
  cancel(@Param('retrainingId') retrainingId: string, @Body() body: Justified, @Metadata() metadata: CommandMetadata) {
    return this.retraining.approveOrCancel(retrainingId, 'Cancel', body?.justification, metadata);
  }
}
