export { assertNever, CairnError, type ErrorCode, isCairnError } from './errors.js';
export {
  type Event,
  type FieldType,
  type FieldValue,
  LEVELS,
  type Level,
  type Scalar,
  type TimeRange,
  WELL_KNOWN_FIELDS,
  type WellKnownField,
} from './event.js';
export {
  createFieldMap,
  type FieldMap,
  type FlattenError,
  type FlattenErrorKind,
  type FlattenLimits,
  type FlattenOptions,
  flattenInto,
} from './flatten.js';
export { coerce, inferType } from './infer.js';
export { type CidrRange, canonicalIp, ipv4ToInt, isIp, parseCidr } from './ip.js';
export { describeJsonType, quoteForMessage } from './json-type.js';
export { normalizeLevel } from './level.js';
export {
  DEFAULT_EVENT_LIMITS,
  type EventLimits,
  type NormalizeOptions,
  type NormalizeResult,
  normalizeEvent,
} from './normalize.js';
export {
  daysFromCivil,
  describeTimestampError,
  formatTimestamp,
  parseIsoDateTime,
  parseIsoTimestamp,
  parseTimestamp,
} from './timestamp.js';
