export type * from './ast.js';
export { AGG_NAMES, COMMAND_NAMES, FUNCTION_NAMES, FUNCTIONS } from './functions.js';
export { MAX_PIPES, type ParsedQuery, parseQueryWithPipes } from './parser.js';
export { printExpr, printPipe } from './print.js';
