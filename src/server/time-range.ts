import { CairnError } from '../model/errors.js';
import type { TimeRange } from '../model/event.js';
import { parseDateMath } from '../query/date-math.js';

const DEFAULT_FROM = 'now-15m';

/**
 * The `from`/`to` of a request as a half-open µs range. Both take ISO 8601, epoch milliseconds or date
 * math; `to` rounds up (`to=now/d` means the end of today), as Kibana's time picker expects.
 * Defaults: the last 15 minutes.
 */
export function parseTimeRange(opts: { from: string | undefined; to: string | undefined; nowUs: number }): TimeRange {
  const fromText = opts.from ?? DEFAULT_FROM;
  const toText = opts.to ?? 'now';
  const fromUs = at('from', fromText, opts.nowUs, false);
  // `to` is inclusive to the user (an end of day, a rounded minute); the store wants an exclusive bound.
  const toUs = at('to', toText, opts.nowUs, true) + 1;
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
