import { CairnError, isCairnError } from '../../model/errors.js';
import type { QueryNode } from '../ast.js';
import { syntaxError } from '../errors.js';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, type ParseOptions, parse } from '../parser.js';
import type { PipeCommand } from './ast.js';
import { CommandParser } from './commands.js';
import { PipeLexer } from './lexer.js';
import { findPipeStart } from './split.js';

/** Most commands one query may chain. */
export const MAX_PIPES = 100;

export interface ParsedQuery {
  /** The search before the first `|`; null when it matches everything (empty, `*`). */
  search: QueryNode | null;
  /** The commands after it, in order; empty for a plain search. */
  pipes: PipeCommand[];
}

/**
 * Parses a query with optional pipes: `search | command | command …`. The search part is parsed by
 * the search parser exactly as `parseQuery` would; the pipes by the pipe grammar. All spans and error
 * positions are offsets into the whole text. Throws CairnError `invalid_query` (400) on a syntax error.
 */
export function parseQueryWithPipes(text: string, options: ParseOptions = {}): ParsedQuery {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) {
    // The search parser words this error; let it.
    return { search: parse(text, options), pipes: [] };
  }
  const bar = findPipeStart(text);
  if (bar === -1) return { search: parse(text, options), pipes: [] };
  const search = parseSearchPart(text, bar, options);
  return { search, pipes: parsePipes(text, bar, options.maxDepth ?? DEFAULT_MAX_DEPTH) };
}

/** The search before `bar`; its syntax errors quote the whole query, not just the part before `|`. */
function parseSearchPart(text: string, bar: number, options: ParseOptions): QueryNode | null {
  try {
    return parse(text.slice(0, bar), options);
  } catch (err) {
    if (!isCairnError(err)) throw err;
    const position = err.details?.['position'];
    if (typeof position !== 'number') throw err;
    const expected = err.details?.['expected'];
    const message = err.message.split('\n')[0]!.replace(/^line \d+, col \d+: /, '');
    throw syntaxError(text, position, message, {
      expected: Array.isArray(expected) ? expected.map(String) : [],
    });
  }
}

/** Parses `| command | command …` starting at the first `|` (offset `start`). */
export function parsePipes(text: string, start: number, maxDepth = DEFAULT_MAX_DEPTH): PipeCommand[] {
  const lexer = new PipeLexer(text, start);
  const commands = new CommandParser(lexer, maxDepth);
  const pipes: PipeCommand[] = [];
  for (;;) {
    const tok = lexer.next();
    if (tok.kind === 'eof') return pipes;
    if (tok.kind !== 'pipe') {
      const last = pipes.at(-1)!;
      throw lexer.error(
        tok.start,
        `unexpected '${tok.value}' after the ${last.kind} command: start the next command with '|'`,
        CommandParser.expectedAfter(last),
      );
    }
    if (pipes.length >= MAX_PIPES) {
      throw new CairnError(
        'invalid_query',
        `Cannot run the query: it chains more than ${MAX_PIPES} commands`,
        { details: { position: tok.start, limit: MAX_PIPES } },
      );
    }
    pipes.push(commands.command());
  }
}
