/**
 * The demo log generator: realistic application and nginx access logs from a small online shop, with
 * error bursts and slow spells, reproducible from a seed. Pure (no I/O); the CLI's `cairn demo` and the
 * benchmarks drive it.
 */
export { LEVEL_MIX } from './app-log.js';
export {
  createDemoGenerator,
  type DemoEvent,
  type DemoEventKind,
  type DemoGenerator,
  type DemoGeneratorOptions,
  demoEventKind,
  generateWindow,
  normalizeSeed,
  type WindowOptions,
} from './generator.js';
export { type Incident, type IncidentKind, incidentsBetween } from './incidents.js';
export { formatTextLine, type TextStyle } from './text-lines.js';
