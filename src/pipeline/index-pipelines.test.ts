import { describe, expect, it } from 'vitest';
import {
  buildIndexPipelineTable,
  hasIndexPipelines,
  type IndexPipelineSources,
  pipelineSettings,
  pipelinesForIndex,
} from './index-pipelines.js';

const NONE: IndexPipelineSources = {
  indexTemplates: [],
  componentTemplates: [],
  legacyTemplates: [],
  indexSettings: [],
};

function resolve(sources: Partial<IndexPipelineSources>, index: string) {
  return pipelinesForIndex(buildIndexPipelineTable({ ...NONE, ...sources }), index);
}

describe('pipelineSettings', () => {
  it('reads the nested, flat and short forms Elasticsearch accepts', () => {
    expect(pipelineSettings({ index: { default_pipeline: 'a', final_pipeline: 'b' } })).toEqual({
      default_pipeline: 'a',
      final_pipeline: 'b',
    });
    expect(pipelineSettings({ 'index.default_pipeline': 'a' })).toEqual({ default_pipeline: 'a' });
    expect(pipelineSettings({ final_pipeline: 'b' })).toEqual({ final_pipeline: 'b' });
  });

  it('ignores what is not a pipeline name', () => {
    expect(pipelineSettings(undefined)).toEqual({});
    expect(pipelineSettings({ index: { default_pipeline: 3, number_of_shards: 1 } })).toEqual({});
    expect(pipelineSettings({ default_pipeline: '' })).toEqual({});
  });
});

describe('pipelinesForIndex', () => {
  it('takes the highest-priority composable template that matches, with its components', () => {
    const sources: Partial<IndexPipelineSources> = {
      componentTemplates: [
        ['defaults', { template: { settings: { index: { default_pipeline: 'from-component' } } } }],
      ],
      indexTemplates: [
        [
          'broad',
          { index_patterns: ['logs-*'], priority: 1, template: { settings: { default_pipeline: 'broad' } } },
        ],
        [
          'nginx',
          {
            index_patterns: ['logs-nginx-*', 'nginx'],
            priority: 100,
            composed_of: ['defaults', 'missing-component'],
            template: { settings: { 'index.final_pipeline': 'final' } },
          },
        ],
      ],
    };
    expect(resolve(sources, 'logs-nginx-default')).toEqual({
      defaultPipeline: 'from-component',
      finalPipeline: 'final',
    });
    expect(resolve(sources, 'nginx')).toEqual({ defaultPipeline: 'from-component', finalPipeline: 'final' });
    expect(resolve(sources, 'logs-app')).toEqual({ defaultPipeline: 'broad', finalPipeline: null });
    expect(resolve(sources, 'metrics')).toEqual({ defaultPipeline: null, finalPipeline: null });
  });

  it("lets a template's own settings override its components'", () => {
    const sources: Partial<IndexPipelineSources> = {
      componentTemplates: [['c', { template: { settings: { default_pipeline: 'component' } } }]],
      indexTemplates: [
        [
          't',
          {
            index_patterns: 'app-*',
            composed_of: ['c'],
            template: { settings: { default_pipeline: 'own' } },
          },
        ],
      ],
    };
    expect(resolve(sources, 'app-1').defaultPipeline).toBe('own');
  });

  it('merges matching legacy templates by order, and only when no composable template matches', () => {
    const sources: Partial<IndexPipelineSources> = {
      legacyTemplates: [
        [
          'late',
          { index_patterns: ['filebeat-*'], order: 10, settings: { index: { default_pipeline: 'late' } } },
        ],
        [
          'early',
          {
            index_patterns: ['filebeat-*'],
            order: 0,
            settings: { default_pipeline: 'early', final_pipeline: 'f' },
          },
        ],
      ],
    };
    expect(resolve(sources, 'filebeat-8.11.0')).toEqual({ defaultPipeline: 'late', finalPipeline: 'f' });
    const withComposable = {
      ...sources,
      indexTemplates: [['fb', { index_patterns: ['filebeat-*'], template: {} }]] as [string, unknown][],
    };
    expect(resolve(withComposable, 'filebeat-8.11.0')).toEqual({
      defaultPipeline: null,
      finalPipeline: null,
    });
  });

  it("gives an index's own settings the last word", () => {
    const sources: Partial<IndexPipelineSources> = {
      indexTemplates: [
        [
          't',
          { index_patterns: ['*'], template: { settings: { default_pipeline: 'd', final_pipeline: 'f' } } },
        ],
      ],
      indexSettings: [['special', { 'index.final_pipeline': '_none' }]],
    };
    expect(resolve(sources, 'special')).toEqual({ defaultPipeline: 'd', finalPipeline: '_none' });
    expect(resolve(sources, 'other')).toEqual({ defaultPipeline: 'd', finalPipeline: 'f' });
  });

  it('knows when no template or index names a pipeline', () => {
    expect(hasIndexPipelines(buildIndexPipelineTable(NONE))).toBe(false);
    expect(
      hasIndexPipelines(
        buildIndexPipelineTable({
          ...NONE,
          indexTemplates: [['t', { index_patterns: ['*'], template: {} }]],
        }),
      ),
    ).toBe(false);
    expect(
      hasIndexPipelines(
        buildIndexPipelineTable({ ...NONE, indexSettings: [['x', { 'index.default_pipeline': 'p' }]] }),
      ),
    ).toBe(true);
  });
});
