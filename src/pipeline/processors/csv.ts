import { getField, setField } from '../doc.js';
import type { OptionReader } from '../options.js';
import type { ProcessorComponent, ProcessorConfigBase } from '../types.js';

export interface CsvConfig extends ProcessorConfigBase {
  kind: 'csv';
  field: string;
  /** Field names for the columns in order; extra values go to `column<N>` (1-based). */
  columns: string[];
  separator: string;
  quote: string;
  trim: boolean;
  /** Value for empty columns; absent: empty columns are left out. */
  empty_value: string | undefined;
  ignore_missing: boolean;
}

export const csvProcessor: ProcessorComponent<CsvConfig> = {
  kind: 'csv',
  summary: 'Splits one line of CSV (RFC 4180 quoting) into named columns',
  defaultFailureTags: ['_csvparsefailure'],
  parse(r: OptionReader) {
    const columns = r.fields('columns');
    const targets = r.fields('target_fields');
    const separator = r.string('separator', ',');
    const quote = r.string('quote', '"');
    if (separator.length !== 1) r.error('separator', `expected one character, got "${separator}"`);
    if (quote.length !== 1) r.error('quote', `expected one character, got "${quote}"`);
    return {
      field: r.field('field', 'message'),
      columns: columns.length > 0 ? columns : targets,
      separator,
      quote,
      trim: r.boolean('trim', false),
      empty_value: r.string('empty_value'),
      ignore_missing: r.boolean('ignore_missing', false),
    };
  },
  build(config) {
    return (doc) => {
      const value = getField(doc, config.field);
      if (value === undefined) return config.ignore_missing ? null : `field "${config.field}" is missing`;
      const values = parseCsvLine(String(value), config.separator, config.quote);
      if (values === null) return `the value of "${config.field}" has an unterminated quote`;
      values.forEach((raw, i) => {
        const v = config.trim ? raw.trim() : raw;
        const name = config.columns[i] ?? `column${i + 1}`;
        if (v === '') {
          if (config.empty_value !== undefined) setField(doc, name, config.empty_value);
          return;
        }
        setField(doc, name, v);
      });
      return null;
    };
  },
};

/** The values of one CSV line; a quote inside a quoted value is doubled. Null on an open quote. */
export function parseCsvLine(line: string, separator: string, quote: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === quote) {
      let value = '';
      i++;
      for (;;) {
        const close = line.indexOf(quote, i);
        if (close === -1) return null;
        value += line.slice(i, close);
        if (line[close + 1] === quote) {
          value += quote;
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      // Text between the closing quote and the separator is kept, as lenient parsers do.
      const sep = line.indexOf(separator, i);
      value += line.slice(i, sep === -1 ? line.length : sep);
      out.push(value);
      if (sep === -1) return out;
      i = sep + 1;
    } else {
      const sep = line.indexOf(separator, i);
      out.push(line.slice(i, sep === -1 ? line.length : sep));
      if (sep === -1) return out;
      i = sep + 1;
    }
  }
}
