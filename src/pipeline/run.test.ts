import { describe, expect, it } from 'vitest';
import { runPipelineOn } from './test-support.js';

const GROK_FAILS = { grok: { patterns: ['^%{INT:n}$'] } };

describe('failures never drop events', () => {
  it("tags, then runs the processor's on_failure with the failure in @metadata, then goes on", () => {
    const r = runPipelineOn(
      {
        processors: [
          {
            grok: {
              ...GROK_FAILS.grok,
              tag: 'numbers',
              on_failure: [
                {
                  mutate: {
                    add_field: {
                      'error.message':
                        '%{@metadata.on_failure_processor_type}/%{@metadata.on_failure_processor_tag}: %{@metadata.on_failure_message}',
                    },
                  },
                },
              ],
            },
          },
          { mutate: { add_tag: ['after'] } },
        ],
      },
      'abc',
    );
    expect(r.fields).toEqual({
      message: 'abc',
      tags: ['_grokparsefailure', 'after'],
      'error.message': 'grok/numbers: no pattern matched the value of "message"',
    });
  });

  it("falls back to the pipeline's on_failure, and ignore_failure skips everything", () => {
    const pipeline = {
      processors: [GROK_FAILS, { grok: { ...GROK_FAILS.grok, ignore_failure: true } }],
      on_failure: [{ route: { stream: 'unparsed' } }],
    };
    const r = runPipelineOn(pipeline, 'abc');
    expect(r.stream).toBe('unparsed');
    expect(r.fields['tags']).toEqual(['_grokparsefailure']);
  });

  it('applies add_field/add_tag/remove_field only on success', () => {
    const p = (line: string) =>
      runPipelineOn(
        { processors: [{ grok: { ...GROK_FAILS.grok, add_tag: ['number'], remove_field: ['message'] } }] },
        line,
      ).fields;
    expect(p('12')).toEqual({ n: '12', tags: ['number'] });
    expect(p('x')).toEqual({ message: 'x', tags: ['_grokparsefailure'] });
  });

  it('rejects an event the pipeline makes too big, as ingest would', () => {
    const r = runPipelineOn({ processors: [{ mutate: { add_field: { ['x'.repeat(600)]: 'v' } } }] }, 'm');
    expect(r.kind).toBe('rejected');
    expect(r.reason).toMatch(/the name is 600 characters long, the maximum is 512/);
  });
});
