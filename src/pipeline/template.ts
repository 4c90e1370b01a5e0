import { formatJoda } from './date/joda.js';
import { getString, normalizeFieldName, type PipelineDoc } from './doc.js';

/**
 * Logstash's sprintf format, used by add_field, route, fingerprint and friends:
 *
 *   `%{service}`, `%{[container][name]}`  the field's value (lists joined with commas)
 *   `%{@timestamp}`                        the event time, ISO 8601
 *   `%{+yyyy.MM.dd}`                       the event time formatted with a Joda pattern, UTC
 *
 * A reference to an absent field stays as written (`%{missing}`), as in Logstash, so the problem
 * shows in the data; `missing()` tells whether that happened.
 */
export interface Template {
  readonly source: string;
  /** Whether the template references nothing (a plain string). */
  readonly constant: boolean;
  render(doc: PipelineDoc): string;
  /** Whether rendering against `doc` would leave a reference unresolved. */
  missing(doc: PipelineDoc): boolean;
}

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'field'; name: string }
  | { kind: 'time'; format: string };

const REFERENCE = /%\{([^}]+)\}/g;

export function compileTemplate(source: string): Template {
  const parts: Part[] = [];
  let last = 0;
  for (const m of source.matchAll(REFERENCE)) {
    if (m.index > last) parts.push({ kind: 'text', text: source.slice(last, m.index) });
    const inner = m[1]!;
    parts.push(
      inner.startsWith('+')
        ? { kind: 'time', format: inner.slice(1) }
        : { kind: 'field', name: normalizeFieldName(inner) },
    );
    last = m.index + m[0].length;
  }
  if (last < source.length) parts.push({ kind: 'text', text: source.slice(last) });
  const constant = parts.every((p) => p.kind === 'text');
  return {
    source,
    constant,
    render(doc: PipelineDoc): string {
      if (constant) return source;
      let out = '';
      for (const p of parts) {
        if (p.kind === 'text') out += p.text;
        else if (p.kind === 'time') out += formatJoda(doc.event.timestampUs, p.format);
        else out += getString(doc, p.name) ?? `%{${p.name}}`;
      }
      return out;
    },
    missing(doc: PipelineDoc): boolean {
      return parts.some((p) => p.kind === 'field' && getString(doc, p.name) === undefined);
    },
  };
}
