import type { FieldType } from '../../model/event.js';
import { CairnError } from '../../model/errors.js';
import type { QueryNode } from '../../query/ast.js';

/** One column (or overflow expression) that holds a field's values. */
export interface ResolvedField {
  /** Field name. */
  name: string;
  /** SQL expression for the column, already quoted (trusted: it never comes from user text). */
  sql: string;
  type: FieldType;
  /** The column is a DuckDB LIST of `type`. */
  list: boolean;
  /** Analysed text field (message): tokens match case-insensitively. */
  text: boolean;
}

export interface FieldResolver {
  /** [] = unknown field: the clause matches nothing (FALSE), as in Elasticsearch. */
  resolve(name: string): ResolvedField[];
  /** All known field names (for wildcard field names). */
  names(): string[];
  /** Fields searched by bare terms and phrases. */
  defaultFields(): ResolvedField[];
}

export interface CompileContext {
  resolver: FieldResolver;
  params: unknown[];
  nowUs: number;
}

/** Work in progress: the interface is final, the implementation lands in the next commit. */
export function compileWhere(node: QueryNode, _ctx: CompileContext): string {
  throw new CairnError('internal', `compileWhere is not implemented yet (query kind "${node.kind}")`);
}
