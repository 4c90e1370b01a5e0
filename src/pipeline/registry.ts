import { AUTO_FORMATS } from './builtins/index.js';
import { autoProcessor } from './processors/auto.js';
import { classifyProcessor } from './processors/classify.js';
import { clientIpProcessor } from './processors/client-ip.js';
import { csvProcessor } from './processors/csv.js';
import { dateProcessor } from './processors/date.js';
import { dissectProcessor } from './processors/dissect.js';
import { dropProcessor } from './processors/drop.js';
import {
  appendProcessor,
  convertProcessor,
  failProcessor,
  gsubProcessor,
  joinProcessor,
  lowercaseProcessor,
  removeProcessor,
  renameProcessor,
  setProcessor,
  splitProcessor,
  trimProcessor,
  uppercaseProcessor,
  urldecodeProcessor,
} from './processors/es-field-ops.js';
import { fingerprintProcessor } from './processors/fingerprint.js';
import { geoipProcessor } from './processors/geoip.js';
import { grokProcessor } from './processors/grok.js';
import { jsonProcessor } from './processors/json.js';
import { kvProcessor } from './processors/kv.js';
import { mutateProcessor } from './processors/mutate.js';
import { pipelineCallProcessor } from './processors/pipeline-call.js';
import { routeProcessor } from './processors/route.js';
import { sampleProcessor } from './processors/sample.js';
import { syslogPriProcessor } from './processors/syslog-pri.js';
import { translateProcessor } from './processors/translate.js';
import { userAgentProcessor } from './processors/user-agent.js';
import type { ProcessorComponent } from './types.js';

/** Every processor kind Cairn has, in the order the docs and the API list them. */
export const PROCESSORS = [
  grokProcessor,
  dissectProcessor,
  kvProcessor,
  jsonProcessor,
  csvProcessor,
  dateProcessor,
  mutateProcessor,
  translateProcessor,
  syslogPriProcessor,
  clientIpProcessor,
  geoipProcessor,
  userAgentProcessor,
  classifyProcessor,
  fingerprintProcessor,
  routeProcessor,
  dropProcessor,
  sampleProcessor,
  pipelineCallProcessor,
  autoProcessor(AUTO_FORMATS),
  // Elasticsearch's single-purpose processors, for pipelines written for Elasticsearch.
  setProcessor,
  renameProcessor,
  removeProcessor,
  convertProcessor,
  lowercaseProcessor,
  uppercaseProcessor,
  trimProcessor,
  appendProcessor,
  gsubProcessor,
  splitProcessor,
  joinProcessor,
  urldecodeProcessor,
  failProcessor,
] as const;

/** The discriminated union of processor configs, derived from the registry. */
export type ProcessorConfig = Parameters<(typeof PROCESSORS)[number]['build']>[0];
export type ProcessorKind = ProcessorConfig['kind'];

/** Each component, widened so that its `build` takes the whole union (it is only given its own kind). */
type AnyComponent = ProcessorComponent<ProcessorConfig>;

const BY_KIND: ReadonlyMap<string, AnyComponent> = new Map(
  PROCESSORS.map((p) => [p.kind, p as unknown as AnyComponent]),
);

export function processorComponent(kind: string): AnyComponent | undefined {
  return BY_KIND.get(kind);
}

export const PROCESSOR_KINDS: readonly ProcessorKind[] = PROCESSORS.map((p) => p.kind);
