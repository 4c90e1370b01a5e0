import { CairnError } from '../model/errors.js';
import { describeJsonType } from '../model/json-type.js';
import { type Condition, compileCondition } from './condition.js';
import { addTags, type PipelineDoc, removeField, removeTags, setField } from './doc.js';
import { ConfigErrors, isPlainObject, OptionReader } from './options.js';
import { compilePainlessCondition, looksLikePainless } from './painless-condition.js';
import { PROCESSOR_KINDS, type ProcessorConfig, processorComponent } from './registry.js';
import { compileTemplate } from './template.js';
import type {
  BuildContext,
  CommonOptions,
  CompiledPipeline,
  CompiledStep,
  PipelineConfig,
  PipelineResources,
  ProcessorConfigBase,
} from './types.js';

/** What compiling needs from outside: the clock, randomness, resources and the other pipelines. */
export interface CompileEnv {
  nowUs: () => number;
  random: () => number;
  resources: PipelineResources;
  pipelineExists(id: string): boolean;
  builtin(id: string): PipelineConfig | undefined;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isValidPipelineId(id: string): boolean {
  return ID.test(id) && !id.startsWith('_');
}

/**
 * Reads a pipeline definition (decoded YAML or JSON) into a config. Processors are written either
 * as in Elasticsearch (`- grok: {field: message, patterns: [...]}`) or with an explicit kind
 * (`- {kind: grok, field: message, patterns: [...]}`). Problems go to `errors`, all of them.
 */
export function parsePipelineDefinition(raw: unknown, id: string, errors: ConfigErrors): PipelineConfig {
  const config: PipelineConfig = { id, processors: [] };
  if (!isValidPipelineId(id))
    errors.add(
      'id',
      `"${id}" is not a pipeline id: use letters, digits, '.', '_' and '-', not starting with '_'`,
    );
  if (!isPlainObject(raw)) {
    errors.add(
      '',
      `expected a pipeline definition (an object with "processors"), got ${describeJsonType(raw)}`,
    );
    return config;
  }
  const r = new OptionReader(raw, '', errors);
  const description = r.string('description');
  if (description !== undefined) config.description = description;
  const meta = r.value('_meta') ?? r.value('meta');
  if (meta !== undefined) {
    if (isPlainObject(meta)) config.meta = meta;
    else r.error('_meta', `expected an object, got ${describeJsonType(meta)}`);
  }
  r.value('version'); // Elasticsearch's optional version number: accepted and ignored.
  config.processors = parseProcessorList(r.value('processors'), 'processors', errors);
  if (!r.has('processors')) errors.add('processors', 'is required: a list of processors');
  if (r.has('on_failure'))
    config.on_failure = parseProcessorList(r.value('on_failure'), 'on_failure', errors);
  r.finish();
  return config;
}

function parseProcessorList(raw: unknown, path: string, errors: ConfigErrors): ProcessorConfigBase[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    errors.add(path, `expected a list of processors, got ${describeJsonType(raw)}`);
    return [];
  }
  const out: ProcessorConfigBase[] = [];
  raw.forEach((item, i) => {
    const parsed = parseProcessor(item, `${path}[${i}]`, errors);
    if (parsed !== null) out.push(parsed);
  });
  return out;
}

function parseProcessor(raw: unknown, path: string, errors: ConfigErrors): ProcessorConfig | null {
  if (!isPlainObject(raw)) {
    errors.add(path, `expected a processor (an object such as {grok: {…}}), got ${describeJsonType(raw)}`);
    return null;
  }
  let kind: string;
  let options: Record<string, unknown>;
  if (typeof raw['kind'] === 'string') {
    kind = raw['kind'];
    const { kind: _kind, ...rest } = raw;
    options = rest;
  } else {
    const keys = Object.keys(raw);
    if (keys.length !== 1) {
      errors.add(
        path,
        `expected one processor kind as the only key (such as "grok"), got ${keys.length === 0 ? 'none' : keys.join(', ')}`,
      );
      return null;
    }
    kind = keys[0]!;
    const value = raw[kind];
    if (value !== null && value !== undefined && !isPlainObject(value)) {
      errors.add(
        `${path}.${kind}`,
        `expected the processor's options (an object), got ${describeJsonType(value)}`,
      );
      return null;
    }
    options = (value ?? {}) as Record<string, unknown>;
    path = `${path}.${kind}`;
  }
  const component = processorComponent(kind);
  if (component === undefined) {
    errors.add(path, `unknown processor "${kind}" (known: ${PROCESSOR_KINDS.join(', ')})`);
    return null;
  }
  const r = new OptionReader(options, path, errors);
  const common = parseCommonOptions(r, path, errors);
  r.value('description'); // Elasticsearch allows a description on every processor.
  r.markCommon();
  const own = component.parse(r);
  r.finish();
  // The registry maps `kind` to the component that parsed these options, so they are its config.
  return { kind, ...common, ...own } as ProcessorConfig;
}

function parseCommonOptions(r: OptionReader, path: string, errors: ConfigErrors): CommonOptions {
  const common: CommonOptions = {};
  const condition = r.string('if');
  if (condition !== undefined) common.if = condition;
  const tag = r.string('tag');
  if (tag !== undefined) common.tag = tag;
  if (r.has('on_failure'))
    common.on_failure = parseProcessorList(r.value('on_failure'), `${path}.on_failure`, errors);
  if (r.has('ignore_failure')) common.ignore_failure = r.boolean('ignore_failure', false);
  if (r.has('tag_on_failure')) common.tag_on_failure = r.strings('tag_on_failure');
  if (r.has('add_field')) common.add_field = r.stringMap('add_field');
  if (r.has('add_tag')) common.add_tag = r.strings('add_tag');
  if (r.has('remove_field')) common.remove_field = r.fields('remove_field');
  if (r.has('remove_tag')) common.remove_tag = r.strings('remove_tag');
  for (const key of [
    'if',
    'tag',
    'on_failure',
    'ignore_failure',
    'tag_on_failure',
    'add_field',
    'add_tag',
    'remove_field',
    'remove_tag',
  ])
    r.value(key);
  return common;
}

/** Compiles a parsed pipeline; problems go to `errors` and the result is then unusable. */
export function compilePipelineConfig(
  config: PipelineConfig,
  env: CompileEnv,
  errors: ConfigErrors,
): CompiledPipeline {
  const compileSteps = (configs: readonly ProcessorConfigBase[], path: string): CompiledStep[] => {
    const steps: CompiledStep[] = [];
    configs.forEach((c, i) => {
      const step = compileStep(c as ProcessorConfig, `${path}[${i}]`);
      if (step !== null) steps.push(step);
    });
    return steps;
  };
  const ctx: BuildContext = {
    nowUs: env.nowUs,
    random: env.random,
    resources: env.resources,
    compileSteps,
    pipelineExists: (id) => env.pipelineExists(id),
    builtin: (id) => env.builtin(id),
  };
  const compileStep = (config: ProcessorConfig, path: string): CompiledStep | null => {
    const component = processorComponent(config.kind);
    if (component === undefined) {
      errors.add(path, `unknown processor "${config.kind}"`);
      return null;
    }
    const where = `${path}.${config.kind}`;
    let condition: CompiledStep['condition'] = null;
    if (config.if !== undefined) {
      try {
        // Elasticsearch pipelines' Painless conditions (`ctx.x == 'y'`), else a Cairn query.
        const test: Condition = looksLikePainless(config.if)
          ? compilePainlessCondition(config.if)
          : compileCondition(config.if, env.nowUs());
        condition = { text: config.if, test: (doc) => test(doc, env.nowUs()) };
      } catch (err) {
        errors.add(`${where}.if`, (err as Error).message);
      }
    }
    const built = component.build(config, ctx);
    const onFailure =
      config.on_failure === undefined ? null : compileSteps(config.on_failure, `${where}.on_failure`);
    if (typeof built !== 'function') {
      for (const e of built.errors) errors.add(where, e);
      return null;
    }
    return {
      kind: config.kind,
      tag: config.tag,
      condition,
      run: built,
      onSuccess: successActions(config),
      onFailure,
      ignoreFailure: config.ignore_failure ?? false,
      tagOnFailure: config.tag_on_failure ?? component.defaultFailureTags,
    };
  };
  const steps = compileSteps(config.processors, 'processors');
  const onFailure = config.on_failure === undefined ? null : compileSteps(config.on_failure, 'on_failure');
  return { id: config.id, steps, onFailure };
}

/** add_field, add_tag, remove_field, remove_tag: applied after a processor succeeds (Logstash). */
function successActions(config: CommonOptions): ((doc: PipelineDoc) => void) | null {
  const addFields = (config.add_field ?? []).map(([name, value]) => ({
    name: compileTemplate(name),
    value: compileTemplate(value),
  }));
  const addTagTemplates = (config.add_tag ?? []).map(compileTemplate);
  const removeFields = (config.remove_field ?? []).map(compileTemplate);
  const removeTagList = config.remove_tag ?? [];
  if (addFields.length + addTagTemplates.length + removeFields.length + removeTagList.length === 0)
    return null;
  return (doc) => {
    for (const f of addFields) setField(doc, f.name.render(doc), f.value.render(doc));
    if (addTagTemplates.length > 0)
      addTags(
        doc,
        addTagTemplates.map((t) => t.render(doc)),
      );
    for (const f of removeFields) removeField(doc, f.render(doc));
    if (removeTagList.length > 0) removeTags(doc, removeTagList);
  };
}

/**
 * Parses and compiles a definition, or throws CairnError `invalid_pipeline` (400) listing every
 * problem in the message and in `details.errors`.
 */
export function buildPipeline(
  raw: unknown,
  id: string,
  env: CompileEnv,
): { config: PipelineConfig; compiled: CompiledPipeline } {
  const errors = new ConfigErrors();
  const config = parsePipelineDefinition(raw, id, errors);
  const compiled = errors.empty ? compilePipelineConfig(config, env, errors) : null;
  if (!errors.empty || compiled === null) throw invalidPipeline(id, errors.list);
  return { config, compiled };
}

export function invalidPipeline(id: string, problems: readonly string[]): CairnError {
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  return new CairnError('bad_request', `Pipeline "${id}" has ${count}:\n  - ${problems.join('\n  - ')}`, {
    details: { pipeline: id, errors: problems },
  });
}
