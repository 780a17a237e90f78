import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiQuery } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '@mgov/decider';
import { Requires, type Role } from '@mgov/http-edge';
import type { Direction, GraphView } from './graph-model';
import { type LineageGraph, parseDepth, parseNodeKind } from './lineage-graph';
import { renderMermaid } from './mermaid';

export const LINEAGE_GRAPH = Symbol('LineageGraph');
export const GRAPH_READERS: Role[] = ['data-steward', 'data-scientist', 'ml-engineer', 'model-reviewer', 'governance-auditor'];

/** Up- and downstream of any node; ids with `/` (external datasets) are sent URL-encoded. */
@Controller('lineage/graph')
export class LineageGraphController {
  constructor(@Inject(LINEAGE_GRAPH) private readonly graph: LineageGraph) {}

  @Get(':kind/:id/upstream')
  @Requires(...GRAPH_READERS)
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'mermaid'] })
  @ApiQuery({ name: 'depth', required: false, type: Number })
  @ApiProduces('application/json', 'text/plain')
  upstream(@Param('kind') kind: string, @Param('id') id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    return this.answer('upstream', kind, id, query, response);
  }

  @Get(':kind/:id/downstream')
  @Requires(...GRAPH_READERS)
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'mermaid'] })
  @ApiQuery({ name: 'depth', required: false, type: Number })
  @ApiProduces('application/json', 'text/plain')
  downstream(@Param('kind') kind: string, @Param('id') id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    return this.answer('downstream', kind, id, query, response);
  }

  private async answer(direction: Direction, kind: string, id: string, query: Record<string, unknown>, response: Response): Promise<GraphView | string> {
    const format = query.format ?? 'json';
    if (format !== 'json' && format !== 'mermaid') {
      throw new DomainError('LINEAGE.INVALID_FORMAT', `format must be json or mermaid, not ${JSON.stringify(format)}`, 400);
    }
    const view = await this.graph.view(parseNodeKind(kind), id, direction, parseDepth(query.depth));
    if (format === 'json') return view;
    response.setHeader('content-type', 'text/plain; charset=utf-8');
    return renderMermaid(view);
  }
}
