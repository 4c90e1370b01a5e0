import type { FastifyBaseLogger } from 'fastify';
import { type InstalledPipeline, UNSUPPORTED_PIPELINE_TAG } from '../pipeline/catalog.js';
import { buildIndexPipelineTable } from '../pipeline/index-pipelines.js';
import type { PipelineService } from '../pipeline/runtime/pipeline-service.js';
import type { EsCompatState } from './es-compat-state.js';

/**
 * Hands the pipelines installed through `PUT _ingest/pipeline` to the pipeline service (documents
 * name them in `_bulk` action lines), and warns about each of `ids` (all when absent) that Cairn
 * cannot run and no Cairn pipeline of the same id replaces.
 */
export function syncInstalledPipelines(
  pipelines: PipelineService,
  esState: EsCompatState,
  log: FastifyBaseLogger,
  ids?: readonly string[],
): void {
  for (const p of pipelines.setInstalled(esState.find('ingest_pipeline'))) {
    if (ids !== undefined && !ids.includes(p.id)) continue;
    if (p.error !== null && pipelines.catalog.get(p.id) === undefined) warnUnsupported(log, p);
  }
}

function warnUnsupported(log: FastifyBaseLogger, p: InstalledPipeline): void {
  log.warn(
    { pipeline: p.id, reason: p.error },
    `Installed ingest pipeline "${p.id}" cannot run on Cairn's processors, so documents that name it are stored as sent and tagged ${UNSUPPORTED_PIPELINE_TAG}. To parse them, define a Cairn pipeline with the id "${p.id}" (PUT /api/v1/pipelines/${p.id}); it takes precedence.`,
  );
}

/**
 * Hands what the installed index templates and index settings say about `index.default_pipeline`
 * and `index.final_pipeline` to the pipeline service; call after any of them changes.
 */
export function syncIndexPipelines(pipelines: PipelineService, esState: EsCompatState): void {
  pipelines.setIndexPipelines(
    buildIndexPipelineTable({
      indexTemplates: esState.find('index_template'),
      componentTemplates: esState.find('component_template'),
      legacyTemplates: esState.find('legacy_template'),
      indexSettings: esState.find('index_settings'),
    }),
  );
}
