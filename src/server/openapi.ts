/** The OpenAPI 3 description of Cairn's own HTTP API, served at /api/v1/openapi.json and browsable at /docs. */
export function openApiDocument(version: string) {
  const error = { $ref: '#/components/schemas/Error' };
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: error } },
  });
  const timeParams = [
    {
      name: 'from',
      in: 'query',
      schema: { type: 'string', default: 'now-15m' },
      description: 'Start: ISO 8601, epoch ms or date math (now-1h, now/d)',
    },
    {
      name: 'to',
      in: 'query',
      schema: { type: 'string', default: 'now' },
      description: 'End (inclusive; rounds up): ISO 8601, epoch ms or date math',
    },
    {
      name: 'stream',
      in: 'query',
      schema: { type: 'string' },
      description: 'Comma-separated streams (default: all)',
    },
  ];
  return {
    openapi: '3.0.3',
    info: {
      title: 'Cairn API',
      version,
      description:
        'Ingest, search and analyse logs. Elasticsearch-compatible endpoints (/_bulk, /{index}/_doc, start-up calls of shippers) are described in the README.',
    },
    paths: {
      '/api/v1/ingest': {
        post: {
          summary: 'Ingest events',
          description:
            'A JSON object, a JSON array of objects, NDJSON, or text/plain lines (one event per line). Answered once the events are durable.',
          parameters: [{ name: 'stream', in: 'query', schema: { type: 'string', default: 'default' } }],
          requestBody: {
            required: true,
            content: {
              'application/x-ndjson': { schema: { type: 'string' } },
              'application/json': {
                schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] },
              },
              'text/plain': { schema: { type: 'string' } },
            },
          },
          responses: {
            '200': {
              description: 'Events stored; rejected lines listed',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/IngestResult' } } },
            },
            '400': errorResponse('No event could be stored (details.rejected lists why)'),
            '413': errorResponse('Body larger than limits.maxBodyBytes'),
            '415': errorResponse('Unsupported Content-Type'),
            '429': errorResponse('Ingestion saturated; retry after the Retry-After header'),
          },
        },
      },
      '/api/v1/search': {
        get: {
          summary: 'Search events',
          parameters: [
            {
              name: 'q',
              in: 'query',
              schema: { type: 'string' },
              description:
                'Query string (docs/query-language.md), optionally followed by pipe commands (`level:ERROR | stats count() by service`): then the answer is a table',
            },
            ...timeParams,
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', default: 100 },
              description: 'Hits per page; with pipes, table rows (default 10000)',
            },
            {
              name: 'sort',
              in: 'query',
              schema: { type: 'string', default: '@timestamp:desc' },
              description: 'field:asc|desc, comma-separated',
            },
            {
              name: 'cursor',
              in: 'query',
              schema: { type: 'string' },
              description: 'next_cursor of the previous page',
            },
            {
              name: 'track_total_hits',
              in: 'query',
              schema: { type: 'integer', default: 10000 },
              description: 'Count exactly up to this many hits',
            },
          ],
          responses: {
            '200': {
              description: 'Hits, newest first; a table when the query has pipes',
              content: {
                'application/json': {
                  schema: {
                    oneOf: [
                      { $ref: '#/components/schemas/SearchResult' },
                      { $ref: '#/components/schemas/TableResult' },
                    ],
                  },
                },
              },
            },
            '400': errorResponse(
              'Query syntax error (with position and caret), type clash in pipes, or bad parameter',
            ),
          },
        },
        post: {
          summary: 'Search events (parameters in a JSON body)',
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
          responses: {
            '200': {
              description: 'As GET',
              content: {
                'application/json': {
                  schema: {
                    oneOf: [
                      { $ref: '#/components/schemas/SearchResult' },
                      { $ref: '#/components/schemas/TableResult' },
                    ],
                  },
                },
              },
            },
          },
        },
      },
      '/api/v1/aggregate': {
        post: {
          summary: 'Aggregate events',
          description:
            'Elasticsearch-style aggregations: terms, date_histogram, stats, percentiles, cardinality; terms and date_histogram nest.',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    q: { type: 'string' },
                    from: { type: 'string' },
                    to: { type: 'string' },
                    aggs: { type: 'object' },
                  },
                },
                example: {
                  q: 'level:ERROR',
                  from: 'now-24h',
                  aggs: {
                    by_service: {
                      terms: { field: 'service', size: 10 },
                      aggs: { per_hour: { date_histogram: { fixed_interval: '1h' } } },
                    },
                  },
                },
              },
            },
          },
          responses: {
            '200': { description: 'total and aggregations' },
            '400': errorResponse('Invalid aggregation or query'),
          },
        },
      },
      '/api/v1/fields': {
        get: {
          summary: 'Fields with types, counts and top values',
          parameters: [...timeParams, { name: 'top', in: 'query', schema: { type: 'integer', default: 5 } }],
          responses: { '200': { description: 'fields, sample_size' } },
        },
      },
      '/api/v1/streams': {
        get: {
          summary: 'Streams with event counts, sizes and time spans',
          responses: { '200': { description: 'streams' } },
        },
      },
      '/api/v1/tail': {
        get: {
          summary: 'Live tail: new events matching q, as Server-Sent Events',
          parameters: [
            { name: 'q', in: 'query', schema: { type: 'string' } },
            { name: 'stream', in: 'query', schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'text/event-stream of events' },
            '400': errorResponse('Query syntax error'),
          },
        },
      },
      '/api/v1/dashboards': {
        get: { summary: 'List dashboards', responses: { '200': { description: 'dashboards' } } },
        post: {
          summary: 'Create (or import) a dashboard',
          responses: {
            '201': { description: 'created' },
            '400': errorResponse('Invalid dashboard (every problem listed)'),
          },
        },
      },
      '/api/v1/dashboards/{id}': {
        get: {
          summary: 'One dashboard (export)',
          responses: { '200': { description: 'dashboard' }, '404': errorResponse('No such dashboard') },
        },
        put: {
          summary: 'Replace a dashboard',
          responses: { '200': { description: 'saved' }, '400': errorResponse('Invalid dashboard') },
        },
        delete: {
          summary: 'Delete a dashboard',
          responses: { '200': { description: 'deleted' }, '404': errorResponse('No such dashboard') },
        },
      },
      '/api/v1/dashboards/_import': {
        post: {
          summary: 'Import a dashboard exported as JSON',
          responses: { '201': { description: 'imported' }, '400': errorResponse('Invalid dashboard') },
        },
      },
      '/api/v1/dashboards/{id}/_duplicate': {
        post: { summary: 'Duplicate a dashboard', responses: { '201': { description: 'the copy' } } },
      },
      '/api/v1/dashboards/{id}/_export': {
        get: {
          summary: 'A dashboard as a JSON file',
          responses: { '200': { description: 'dashboard JSON' } },
        },
      },
      '/api/v1/pipelines/_reload': {
        post: {
          summary: 'Reload pipelines from the pipelines directory',
          responses: {
            '200': { description: 'reloaded' },
            '400': errorResponse('Invalid pipeline files (every problem listed)'),
          },
        },
      },
      '/api/v1/pipelines': {
        get: {
          summary: 'List pipelines (built-in, files, API)',
          responses: { '200': { description: 'pipelines' } },
        },
      },
      '/api/v1/pipelines/{id}': {
        get: {
          summary: 'One pipeline',
          responses: { '200': { description: 'pipeline' }, '404': errorResponse('No such pipeline') },
        },
        put: {
          summary: 'Create or replace a pipeline (JSON or YAML body)',
          responses: {
            '200': { description: 'saved' },
            '400': errorResponse('Invalid pipeline (every problem listed)'),
          },
        },
        delete: {
          summary: 'Delete a pipeline',
          responses: { '200': { description: 'deleted' }, '404': errorResponse('No such pipeline') },
        },
      },
      '/api/v1/pipelines/{id}/_simulate': {
        post: {
          summary: 'Run documents through a pipeline; `verbose` shows each processor',
          responses: { '200': { description: 'results' } },
        },
      },
      '/api/v1/pipelines/_simulate': {
        post: { summary: 'Simulate an inline pipeline', responses: { '200': { description: 'results' } } },
      },
      '/api/v1/pipelines/_routes': {
        get: { summary: 'The default route table', responses: { '200': { description: 'routes' } } },
        put: {
          summary: 'Replace the route table',
          responses: { '200': { description: 'saved' }, '400': errorResponse('Invalid routes') },
        },
      },
      '/health': { get: { summary: 'Liveness', responses: { '200': { description: 'ok' } } } },
      '/ready': {
        get: {
          summary: 'Readiness (store open, accepting writes)',
          responses: { '200': { description: 'ready' }, '503': errorResponse('not ready') },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          responses: { '200': { description: 'text/plain; version=0.0.4' } },
        },
      },
    },
    components: {
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                details: { type: 'object' },
                requestId: { type: 'string' },
              },
              required: ['code', 'message'],
            },
          },
        },
        IngestResult: {
          type: 'object',
          properties: {
            accepted: { type: 'integer' },
            rejected: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  line: { type: 'integer' },
                  reason: { type: 'string' },
                  field: { type: 'string' },
                },
              },
            },
            rejected_count: { type: 'integer' },
            stream: { type: 'string' },
            took_ms: { type: 'integer' },
          },
        },
        SearchResult: {
          type: 'object',
          properties: {
            hits: { type: 'array', items: { type: 'object' } },
            total: {
              type: 'object',
              properties: { value: { type: 'integer' }, relation: { type: 'string', enum: ['eq', 'gte'] } },
            },
            next_cursor: { type: 'string', nullable: true },
            took_ms: { type: 'integer' },
          },
        },
        TableResult: {
          type: 'object',
          description: 'The answer to a query with pipes',
          properties: {
            columns: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  type: {
                    type: 'string',
                    description: 'string, number, boolean, timestamp, ip, null, or a list of one: string[]',
                  },
                },
              },
            },
            rows: {
              type: 'array',
              items: { type: 'array', items: {} },
              description: 'Values in column order; dates as ISO 8601 (UTC), lists as arrays',
            },
            truncated: { type: 'boolean', description: 'More rows matched than limit' },
            took_ms: { type: 'integer' },
          },
        },
      },
    },
  };
}
