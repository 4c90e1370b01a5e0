import { APACHE, APACHE_ERROR, NGINX } from './access.js';
import { APP, APP_PLAIN, CELERY, DJANGO, JSON_LINES, PYTHON } from './app.js';
import { POSTGRESQL, REDIS } from './db.js';
import { HDFS, JAVA } from './java.js';
import { ANDROID, BGL, HEALTHAPP, HPC, OPENSTACK, PROXIFIER, THUNDERBIRD, WINDOWS_CBS } from './loghub.js';
import type { BuiltinPipeline, Definition } from './shared.js';
import { SYSLOG } from './syslog.js';

export type { BuiltinPipeline } from './shared.js';

/**
 * The formats `auto` tries, most specific first: each of these pipelines starts with the processor
 * that recognises its format. Generic shapes (syslog's fallback, app_plain) come after the formats
 * they could be mistaken for.
 */
export const FORMAT_PIPELINES: readonly BuiltinPipeline[] = [
  JSON_LINES,
  NGINX,
  APACHE,
  APACHE_ERROR,
  SYSLOG,
  DJANGO,
  CELERY,
  APP,
  JAVA,
  APP_PLAIN,
  PYTHON,
  POSTGRESQL,
  REDIS,
  OPENSTACK,
  HDFS,
  ANDROID,
  BGL,
  HPC,
  THUNDERBIRD,
  HEALTHAPP,
  PROXIFIER,
  WINDOWS_CBS,
];

export const AUTO_FORMATS: readonly string[] = FORMAT_PIPELINES.map((p) => p.id);

const AUTO: BuiltinPipeline = {
  id: 'auto',
  example: FORMAT_PIPELINES.map((p) => p.example.split('\n')[0]).join('\n'),
  definition: {
    description: `Recognises the format of each line (${AUTO_FORMATS.join(', ')}) and parses it with that format's pipeline`,
    processors: [{ auto: {} }],
  },
};

/** Every built-in pipeline by id; they cannot be changed or deleted, only shadowed by nothing. */
export const BUILTIN_PIPELINES: ReadonlyMap<string, BuiltinPipeline> = new Map(
  [...FORMAT_PIPELINES, AUTO].map((p) => [p.id, p]),
);

export function builtinDefinition(id: string): Definition | undefined {
  return BUILTIN_PIPELINES.get(id)?.definition;
}
