import { Lexer, type LexMode, type Token } from '../lexer.js';

/**
 * The offset of the `|` that ends the search part of a query, or -1 when there is none.
 *
 * The search is read with the search lexer in the modes the search parser would use, so a `|` inside
 * a phrase (`"a | b"`), a regex (`/a|b/`), a range (`[a TO b|c]`) or escaped (`a\|b`) does not split,
 * and `||` stays the OR operator. Any other `|` does, also inside a term (`error|stats count()`).
 * When the search part has a syntax error before any `|`, there is no split: the search parser then
 * reports that error on the whole text.
 */
export function findPipeStart(text: string): number {
  if (!text.includes('|')) return -1;
  const lexer = new Lexer(text);
  /** Modes of the enclosing groups; the last is the current one. */
  const modes: LexMode[] = ['clause'];
  /** The next token is a value: after `field:` or a comparison operator. */
  let valueNext = false;
  try {
    for (;;) {
      const mode = modes.at(-1)!;
      const tok = lexer.next(valueNext ? 'value' : mode);
      if (tok.kind === 'eof') return -1;
      if (tok.kind === 'term' && mode !== 'range') {
        const bar = unescapedBar(text, tok);
        if (bar !== -1) return bar;
      }
      if (valueNext) {
        valueNext = false;
        afterValueStart(tok);
        continue;
      }
      switch (tok.kind) {
        case 'term':
          if (mode === 'clause' && lexer.atColon()) {
            lexer.consumeColon();
            valueNext = true;
          } else if (!(mode === 'clause' && lexer.atComparison()) && mode !== 'range') {
            lexer.readModifiers();
          }
          break;
        case 'lparen':
          modes.push(mode);
          break;
        case 'rparen':
          if (modes.length > 1) modes.pop();
          lexer.readModifiers();
          break;
        case 'lbracket':
        case 'lbrace':
          modes.push('range');
          break;
        case 'rbracket':
        case 'rbrace':
          if (mode === 'range') {
            modes.pop();
            lexer.readModifiers();
          }
          break;
        case 'gt':
        case 'gte':
        case 'lt':
        case 'lte':
          valueNext = true;
          break;
        case 'phrase':
        case 'regex':
          if (mode !== 'range') lexer.readModifiers();
          break;
        default:
          break;
      }
    }
  } catch {
    return -1;
  }

  function afterValueStart(tok: Token): void {
    switch (tok.kind) {
      case 'lparen':
        modes.push('group');
        break;
      case 'lbracket':
      case 'lbrace':
        modes.push('range');
        break;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        valueNext = true;
        break;
      case 'term':
      case 'phrase':
      case 'regex':
        lexer.readModifiers();
        break;
      default:
        break;
    }
  }
}

/** Offset of the first `|` in a term's source text that is not escaped with `\`, or -1. */
function unescapedBar(text: string, tok: Token): number {
  for (let i = tok.start; i < tok.end; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '|') return i;
  }
  return -1;
}
