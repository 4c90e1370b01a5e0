import { CairnError } from '../model/errors.js';
import type { Event } from '../model/event.js';
import { describeJsonType } from '../model/json-type.js';
import { type EventLimits, normalizeEvent } from '../model/normalize.js';
import { invalidIndexReason, streamFromIndex } from './index-name.js';
import { describeJsonError, forEachLine } from './lines.js';

export type BulkOp = 'index' | 'create' | 'delete' | 'update';

/** An item-level failure, rendered as Elasticsearch renders it. */
export interface BulkItemError {
  status: number;
  type: string;
  reason: string;
}

/** One action of a bulk request, in request order. Exactly one of `event` / `error` is set. */
export interface BulkItem {
  op: BulkOp;
  index: string;
  id?: string;
  /** The ingest pipeline the action line names (overrides the request's `?pipeline=`). */
  pipeline?: string;
  event?: Event;
  error?: BulkItemError;
}

export interface BulkOptions {
  /** From `POST /{index}/_bulk`. */
  defaultIndex?: string;
  receivedUs: number;
  limits: EventLimits;
}

const OPS = new Set<BulkOp>(['index', 'create', 'delete', 'update']);

/**
 * Parses an Elasticsearch `_bulk` body (action line, then a source line for index/create/update).
 * A broken action line fails the whole request, as in Elasticsearch (the stream cannot be resynced);
 * a broken source document fails only its item.
 */
export function decodeBulk(body: string, opts: BulkOptions): BulkItem[] {
  const items: BulkItem[] = [];
  let pending: BulkAction | null = null;

  // Shippers repeat the same action line for every document: parse each distinct one once.
  let lastActionLine = '';
  let lastAction: ReturnType<typeof parseAction> | null = null;
  forEachLine(body, (line, lineNumber) => {
    if (pending === null) {
      if (isBlank(line)) return;
      if (line !== lastActionLine || lastAction === null) {
        lastAction = parseAction(line, lineNumber, opts.defaultIndex);
        lastActionLine = line;
      }
      pending = { ...lastAction, line: lineNumber };
      if (pending.op === 'delete') {
        items.push(unsupported(pending));
        pending = null;
      }
      return;
    }
    const action: BulkAction = pending;
    pending = null;
    if (action.op === 'update') {
      items.push(unsupported(action));
      return;
    }
    items.push(parseSource(line, action, opts));
  });
  const dangling = pending as { op: BulkOp; line: number } | null;
  if (dangling) {
    throw new CairnError(
      'bad_request',
      `The bulk request ends after the action on line ${dangling.line}: expected a source document line after it`,
      {
        details: { esType: 'illegal_argument_exception', line: dangling.line },
      },
    );
  }
  if (items.length === 0) {
    throw new CairnError('bad_request', 'Validation Failed: 1: no requests added;', {
      details: { esType: 'action_request_validation_exception' },
    });
  }
  return items;
}

interface BulkAction {
  op: BulkOp;
  index: string;
  id?: string;
  pipeline?: string;
  line: number;
}

function parseAction(line: string, lineNumber: number, defaultIndex: string | undefined): BulkAction {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw new CairnError(
      'invalid_json',
      `Malformed action/metadata line [${lineNumber}]: ${describeJsonError(err)}`,
      {
        details: { esType: 'x_content_parse_exception', line: lineNumber },
      },
    );
  }
  const keys =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : [];
  const op = keys[0] as BulkOp | undefined;
  if (keys.length !== 1 || !op || !OPS.has(op)) {
    throw new CairnError(
      'bad_request',
      `Malformed action/metadata line [${lineNumber}], expected one of [create, delete, index, update] but found [${keys.join(', ') || describeJsonType(parsed)}]`,
      { details: { esType: 'illegal_argument_exception', line: lineNumber } },
    );
  }
  const meta = (parsed as Record<string, unknown>)[op];
  const m = meta !== null && typeof meta === 'object' ? (meta as Record<string, unknown>) : {};
  const index = typeof m['_index'] === 'string' ? m['_index'] : (defaultIndex ?? '');
  const id =
    typeof m['_id'] === 'string' ? m['_id'] : typeof m['_id'] === 'number' ? String(m['_id']) : undefined;
  const pipeline = typeof m['pipeline'] === 'string' && m['pipeline'] !== '' ? m['pipeline'] : undefined;
  return {
    op,
    index,
    line: lineNumber,
    ...(id !== undefined ? { id } : {}),
    ...(pipeline !== undefined ? { pipeline } : {}),
  };
}

function parseSource(line: string, action: BulkAction, opts: BulkOptions): BulkItem {
  const base = { op: action.op, index: action.index, ...(action.id !== undefined ? { id: action.id } : {}) };
  if (!action.index) {
    return {
      ...base,
      error: {
        status: 400,
        type: 'action_request_validation_exception',
        reason: 'Validation Failed: 1: index is missing;',
      },
    };
  }
  const bad = invalidIndexReason(action.index);
  if (bad) {
    return {
      ...base,
      error: {
        status: 400,
        type: 'invalid_index_name_exception',
        reason: `Invalid index name [${action.index}], ${bad}`,
      },
    };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (err) {
    return {
      ...base,
      error: {
        status: 400,
        type: 'document_parsing_exception',
        reason: `failed to parse: ${describeJsonError(err)}`,
      },
    };
  }
  const result = normalizeEvent(doc, {
    stream: streamFromIndex(action.index),
    receivedUs: opts.receivedUs,
    limits: opts.limits,
    ...(action.id !== undefined ? { id: action.id } : {}),
  });
  if (!result.ok) {
    const where = result.field ? `failed to parse field [${result.field}]: ` : '';
    return {
      ...base,
      error: { status: 400, type: 'document_parsing_exception', reason: `${where}${result.reason}` },
    };
  }
  return {
    ...base,
    ...(action.pipeline !== undefined ? { pipeline: action.pipeline } : {}),
    event: result.event,
  };
}

function unsupported(action: { op: BulkOp; index: string; id?: string }): BulkItem {
  return {
    op: action.op,
    index: action.index,
    ...(action.id !== undefined ? { id: action.id } : {}),
    error: {
      status: 405,
      type: 'illegal_argument_exception',
      reason: `Cairn stores logs append-only: [${action.op}] is not supported. Remove old data with retention policies instead.`,
    },
  };
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * The Elasticsearch `_bulk` response for decoded items, given the store ids of the stored ones, as
 * JSON text: written directly, since a response holds one item per document (thousands per request).
 */
export function bulkResponseText(
  items: readonly BulkItem[],
  ids: readonly (string | undefined)[],
  tookMs: number,
): string {
  let errors = false;
  const parts = new Array<string>(items.length);
  const indexJson = new Map<string, string>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    let index = indexJson.get(item.index);
    if (index === undefined) {
      index = JSON.stringify(item.index);
      indexJson.set(item.index, index);
    }
    if (item.error) {
      errors = true;
      const error = JSON.stringify({ type: item.error.type, reason: item.error.reason, index: item.index });
      parts[i] =
        `{"${item.op}":{"_index":${index},"_id":${item.id === undefined ? 'null' : JSON.stringify(item.id)},"status":${item.error.status},"error":${error}}}`;
    } else {
      const id = JSON.stringify(ids[i] ?? item.id ?? null);
      parts[i] =
        `{"${item.op}":{"_index":${index},"_id":${id},"_version":1,"result":"created","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":${i},"_primary_term":1,"status":201}}`;
    }
  }
  return `{"took":${Math.round(tookMs)},"errors":${errors},"items":[${parts.join(',')}]}`;
}
