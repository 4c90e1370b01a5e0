import { describe, expect, it } from 'vitest';
import { createFieldMap } from '../model/flatten.js';
import { createDoc } from './doc.js';
import { compileTemplate } from './template.js';

describe('%{field} templates', () => {
  const fields = createFieldMap();
  Object.assign(fields, { service: 'api', 'container.name': 'web-1', tags: ['a', 'b'] });
  const doc = createDoc({ timestampUs: Date.UTC(2024, 0, 15, 10) * 1000, stream: 'logs', fields });

  it.each([
    ['plain', 'plain'],
    ['%{service}-errors', 'api-errors'],
    ['%{[container][name]}', 'web-1'],
    ['%{tags}', 'a,b'],
    ['logs-%{+YYYY.MM.dd}', 'logs-2024.01.15'],
    ['%{@timestamp}', '2024-01-15T10:00:00.000Z'],
    ['%{stream}/%{missing}', 'logs/%{missing}'],
  ])('%s → %s', (source, want) => {
    expect(compileTemplate(source).render(doc)).toBe(want);
  });

  it('tells when a reference is missing', () => {
    expect(compileTemplate('%{missing}').missing(doc)).toBe(true);
    expect(compileTemplate('%{service}').missing(doc)).toBe(false);
  });
});
