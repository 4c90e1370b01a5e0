import { CairnError } from '../model/errors.js';
import type { TimeRange } from '../model/event.js';
import { parseDateMath } from '../query/date-math.js';

const DEFAULT_FROM = 'now-15m';

/**
 * The `from`/`to` of a request as a half-open µs range. Both take ISO 8601, epoch milliseconds or date
 * math; a rounded `to` covers its unit (`to=now/d` is the end of today).
 * Defaults: the last 15 minutes.
 */
export function parseTimeRange(opts: {
  from: string | undefined;
  to: string | undefined;
  nowUs: number;
}): TimeRange {
  const fromText = opts.from ?? DEFAULT_FROM;
  const toText = opts.to ?? 'now';
  const fromUs = at('from', fromText, opts.nowUs, false);
  // An instant (`now`, `2024-03-05T11:00:00Z`) is an exclusive end, so consecutive ranges do not overlap;
  // a rounded or partial date (`now/d`, `2024-03-05`) covers its whole unit, as Elasticsearch's `lte`.
  const toUs = coversWholeUnit(toText)
    ? at('to', toText, opts.nowUs, true) + 1
    : at('to', toText, opts.nowUs, false);
  if (toUs <= fromUs) {
    throw new CairnError(
      'invalid_time_range',
      `Cannot search from "${fromText}" to "${toText}": "from" must be before "to"`,
      { details: { from: fromText, to: toText } },
    );
  }
  return { fromUs, toUs };
}

function at(name: string, text: string, nowUs: number, roundUp: boolean): number {
  try {
    return parseDateMath(text.trim(), { nowUs, roundUp });
  } catch (err) {
    throw new CairnError(
      'invalid_time_range',
      `Cannot parse "${name}" = "${text}": ${err instanceof Error ? err.message : String(err)}`,
      { details: { parameter: name, value: text } },
    );
  }
}

/** `now/d`, `2024-03-05`, `2024-03`: a value that names a whole unit rather than an instant. */
function coversWholeUnit(text: string): boolean {
  return text.includes('/') || /^\d{4}(-\d{2}){0,2}$/.test(text.trim());
}
