import { describe, expect, it } from 'vitest';
import { CairnError } from '../../model/errors.js';
import { parseQuery, printQuery } from '../index.js';
import type { Expr, PipeCommand } from './ast.js';
import { MAX_PIPES, parseQueryWithPipes } from './parser.js';
import { printPipe } from './print.js';

/** `search | command | …` printed, or `ERR <position> <message without the location prefix>`. */
function outcome(query: string): string {
  try {
    const { search, pipes } = parseQueryWithPipes(query);
    return [printQuery(search), ...pipes.map(printPipe)].join(' | ');
  } catch (err) {
    if (!(err instanceof CairnError)) throw err;
    const firstLine = err.message.split('\n')[0]!.replace(/^line \d+, col \d+: /, '');
    return `ERR ${err.details?.['position']} ${firstLine}`;
  }
}

function parseError(query: string): CairnError {
  try {
    parseQueryWithPipes(query);
  } catch (err) {
    if (err instanceof CairnError) return err;
    throw err;
  }
  throw new Error(`expected "${query}" to fail`);
}

function pipesOf(query: string): PipeCommand[] {
  return parseQueryWithPipes(query).pipes;
}

// Each row: query, then the printed search and commands (see printQuery, printPipe) or the error
// with its offset. Error offsets are into the whole query, search part included.
const CASES: [string, string][] = [
  ['| stats count()', '(all) | (stats count=(count))'],
  ['|stats count()', '(all) | (stats count=(count))'],
  ['| stats count', '(all) | (stats count=(count))'],
  ['| stats count(*)', '(all) | (stats count=(count))'],
  ['| stats count() as n', '(all) | (stats n=(count))'],
  ['| stats count() AS n', '(all) | (stats n=(count))'],
  ['| stats count(status)', '(all) | (stats "count(status)"=(count status))'],
  ['| stats count_distinct(user.id)', '(all) | (stats "count_distinct(user.id)"=(count_distinct user.id))'],
  ['| stats dc(user.id)', '(all) | (stats "dc(user.id)"=(count_distinct user.id))'],
  ['| stats distinct_count(user.id)', '(all) | (stats "distinct_count(user.id)"=(count_distinct user.id))'],
  [
    '| stats sum(bytes), avg(bytes), min(bytes), max(bytes)',
    '(all) | (stats "sum(bytes)"=(sum bytes) "avg(bytes)"=(avg bytes) "min(bytes)"=(min bytes) "max(bytes)"=(max bytes))',
  ],
  ['| stats sum(bytes) avg(bytes)', '(all) | (stats "sum(bytes)"=(sum bytes) "avg(bytes)"=(avg bytes))'],
  [
    '| stats p50(rt), p90(rt), p95(rt), p99(rt)',
    '(all) | (stats "p50(rt)"=(p50 rt) "p90(rt)"=(p90 rt) "p95(rt)"=(p95 rt) "p99(rt)"=(p99 rt))',
  ],
  ['| stats p75(rt)', '(all) | (stats "p75(rt)"=(p75 rt))'],
  ['| stats median(rt) mean(rt)', '(all) | (stats "median(rt)"=(p50 rt) "mean(rt)"=(avg rt))'],
  ['| stats values(service)', '(all) | (stats "values(service)"=(values service))'],
  ['| stats count() by service', '(all) | (stats count=(count) by service)'],
  ['| stats count() by service, host', '(all) | (stats count=(count) by service host)'],
  ['| stats count() by service host', '(all) | (stats count=(count) by service host)'],
  ['| stats count() BY service', '(all) | (stats count=(count) by service)'],
  ['| stats avg(rt) as "mean rt" by `http.method`', '(all) | (stats "mean rt"=(avg rt) by http.method)'],
  ['| stats count() as `n`, sum(x) as total by a.b.c', '(all) | (stats n=(count) total=(sum x) by a.b.c)'],
  ['| stats count() by @timestamp', '(all) | (stats count=(count) by @timestamp)'],
  ['| STATS COUNT() BY Service', '(all) | (stats count=(count) by Service)'],
  ['| where status >= 500', '(all) | (where (>= status 500))'],
  ['| where status = 500', '(all) | (where (= status 500))'],
  ['| where status == 500', '(all) | (where (= status 500))'],
  ['| where status != 500', '(all) | (where (!= status 500))'],
  ['| where status <> 500', '(all) | (where (!= status 500))'],
  ['| where status < 500', '(all) | (where (< status 500))'],
  ['| where status <= 500', '(all) | (where (<= status 500))'],
  ['| where status > 500', '(all) | (where (> status 500))'],
  ['| where level = "ERROR"', '(all) | (where (= level "ERROR"))'],
  ["| where level = 'ERROR'", '(all) | (where (= level "ERROR"))'],
  ['| where a = b', '(all) | (where (= a b))'],
  ['| where a and b or c', '(all) | (where (or (and a b) c))'],
  ['| where a or b and c', '(all) | (where (or a (and b c)))'],
  ['| where not a and b', '(all) | (where (and (not a) b))'],
  ['| where not (a and b)', '(all) | (where (not (and a b)))'],
  ['| where !a', '(all) | (where (not a))'],
  ['| where a && b || c', '(all) | (where (or (and a b) c))'],
  ['| where a AND b OR NOT c', '(all) | (where (or (and a b) (not c)))'],
  ['| where x + 1 > 2', '(all) | (where (> (+ x 1) 2))'],
  ['| where x - 1 * 2 > 3', '(all) | (where (> (- x (* 1 2)) 3))'],
  ['| where (x - 1) * 2 > 3', '(all) | (where (> (* (- x 1) 2) 3))'],
  ['| where x / 2 % 3 = 1', '(all) | (where (= (% (/ x 2) 3) 1))'],
  ['| where -x < 0', '(all) | (where (< (neg x) 0))'],
  ['| where - - x < 0', '(all) | (where (< (neg (neg x)) 0))'],
  ['| where +x > 0', '(all) | (where (> x 0))'],
  ['| where x > -1.5', '(all) | (where (> x (neg 1.5)))'],
  ['| where x > 1e3', '(all) | (where (> x 1000))'],
  ['| where x > .5', '(all) | (where (> x 0.5))'],
  ['| where status in (500, 502, 503)', '(all) | (where (in status [500 502 503]))'],
  ['| where level in ("ERROR", "FATAL")', '(all) | (where (in level ["ERROR" "FATAL"]))'],
  ['| where status not in (200)', '(all) | (where (not-in status [200]))'],
  ['| where url like "/api/%"', '(all) | (where (like url "/api/%"))'],
  ['| where url not like "%.png"', '(all) | (where (not-like url "%.png"))'],
  ['| where user is null', '(all) | (where (is-null user))'],
  ['| where user is not null', '(all) | (where (is-not-null user))'],
  ['| where user IS NOT NULL', '(all) | (where (is-not-null user))'],
  ['| where lower(level) = "error"', '(all) | (where (= (call lower level) "error"))'],
  ['| where len(message) > 100', '(all) | (where (> (call len message) 100))'],
  ['| where coalesce(a, b, "x") = "x"', '(all) | (where (= (call coalesce a b "x") "x"))'],
  ['| where round(rt / 1000, 2) > 1.5', '(all) | (where (> (call round (/ rt 1000) 2) 1.5))'],
  ['| where if(a > 1, "big", "small") = "big"', '(all) | (where (= (call if (> a 1) "big" "small") "big"))'],
  ['| where isnull(user)', '(all) | (where (call isnull user))'],
  ['| where match(message, "time(out|d out)")', '(all) | (where (call match message "time(out|d out)"))'],
  ['| where substr(path, 1, 4) = "/api"', '(all) | (where (= (call substr path 1 4) "/api"))'],
  ['| where tostring(status) like "5%"', '(all) | (where (like (call tostring status) "5%"))'],
  ['| where `http.response.status_code` >= 500', '(all) | (where (>= http.response.status_code 500))'],
  ['| where `weird name` = 1', '(all) | (where (= `weird name` 1))'],
  ['| where `and` = 1', '(all) | (where (= and 1))'],
  ['| where @timestamp > "now-1h"', '(all) | (where (> @timestamp "now-1h"))'],
  ['| where a = true', '(all) | (where (= a true))'],
  ['| where a = null', '(all) | (where (= a null))'],
  ['| where "abc" = a', '(all) | (where (= "abc" a))'],
  ['| where a = "say \\"hi\\""', '(all) | (where (= a "say \\"hi\\""))'],
  ['| where a = "tab\\there"', '(all) | (where (= a "tab\\there"))'],
  ['| where a = "\\d+"', '(all) | (where (= a "\\\\d+"))'],
  ['| where x = 1 + 2 + 3', '(all) | (where (= x (+ (+ 1 2) 3)))'],
  ['| eval x = 1', '(all) | (eval x=1)'],
  ['| eval x = a + b, y = x * 2', '(all) | (eval x=(+ a b) y=(* x 2))'],
  ['| eval slow = rt > 500', '(all) | (eval slow=(> rt 500))'],
  [
    '| eval label = if(status >= 500, "error", "ok")',
    '(all) | (eval label=(call if (>= status 500) "error" "ok"))',
  ],
  ['| eval `new field` = upper(service)', '(all) | (eval `new field`=(call upper service))'],
  ['| eval x = concat(a, "-", b)', '(all) | (eval x=(call concat a "-" b))'],
  ['| eval x = replace(path, "[0-9]+", "N")', '(all) | (eval x=(call replace path "[0-9]+" "N"))'],
  ['| timechart count()', '(all) | (timechart span=auto count=(count))'],
  ['| timechart span=1m count()', '(all) | (timechart span=1m count=(count))'],
  ['| timechart span=5m count() by service', '(all) | (timechart span=5m count=(count) by service)'],
  ['| timechart span = 30s avg(rt)', '(all) | (timechart span=30s "avg(rt)"=(avg rt))'],
  [
    '| timechart span=1h count(), p95(rt) by host',
    '(all) | (timechart span=1h count=(count) "p95(rt)"=(p95 rt) by host)',
  ],
  ['| timechart span=1d count()', '(all) | (timechart span=1d count=(count))'],
  ['| timechart span=1w count()', '(all) | (timechart span=1w count=(count))'],
  ['| timechart span=1M count()', '(all) | (timechart span=1M count=(count))'],
  ['| timechart span=5min count()', '(all) | (timechart span=5m count=(count))'],
  ['| timechart span=2hours count()', '(all) | (timechart span=2h count=(count))'],
  ['| timechart span=100ms count()', '(all) | (timechart span=100ms count=(count))'],
  ['| top service', '(all) | (top 10 service)'],
  ['| top 5 service', '(all) | (top 5 service)'],
  ['| top limit=5 service', '(all) | (top 5 service)'],
  ['| top 3 url by service', '(all) | (top 3 url by service)'],
  ['| top service, host', '(all) | (top 10 service host)'],
  ['| top service host by level', '(all) | (top 10 service host by level)'],
  ['| rare service', '(all) | (rare 10 service)'],
  ['| rare 2 service by host', '(all) | (rare 2 service by host)'],
  ['| rare limit=1 tags', '(all) | (rare 1 tags)'],
  ['| sort status', '(all) | (sort +status)'],
  ['| sort -status', '(all) | (sort -status)'],
  ['| sort +status', '(all) | (sort +status)'],
  ['| sort - status', '(all) | (sort -status)'],
  ['| sort status desc', '(all) | (sort -status)'],
  ['| sort status asc, -rt', '(all) | (sort +status -rt)'],
  ['| sort -count, service', '(all) | (sort -count +service)'],
  ['| sort `a b`', '(all) | (sort +`a b`)'],
  ['| head', '(all) | (head 10)'],
  ['| head 5', '(all) | (head 5)'],
  ['| head 0', '(all) | (head 0)'],
  ['| head 100000', '(all) | (head 100000)'],
  ['| fields a, b', '(all) | (fields a b)'],
  ['| fields a b', '(all) | (fields a b)'],
  ['| fields - a, b', '(all) | (fields - a b)'],
  ['| fields + a', '(all) | (fields a)'],
  ['| table a, b, c', '(all) | (fields a b c)'],
  ['| fields "a b", c', '(all) | (fields `a b` c)'],
  ['| rename a as b', '(all) | (rename a>b)'],
  ['| rename a as b, c as d', '(all) | (rename a>b c>d)'],
  ['| rename a AS b', '(all) | (rename a>b)'],
  ['| rename "old name" as `new name`', '(all) | (rename `old name`>`new name`)'],
  ['| dedup service', '(all) | (dedup service)'],
  ['| dedup service, host', '(all) | (dedup service host)'],
  ['| dedup service host', '(all) | (dedup service host)'],
  ['level:ERROR | stats count() by service', '(term level "ERROR") | (stats count=(count) by service)'],
  [
    'level:ERROR AND service:api | where rt > 1 | head 3',
    '(and (term level "ERROR") (term service "api")) | (where (> rt 1)) | (head 3)',
  ],
  ['error|stats count()', '(term _ "error") | (stats count=(count))'],
  ['error | stats count()', '(term _ "error") | (stats count=(count))'],
  ['"a | b" | head 1', '(phrase _ "a | b") | (head 1)'],
  ['"a | b"', '(phrase _ "a | b")'],
  ['message:/a|b/ | head 1', '(regex message "a|b") | (head 1)'],
  ['message:/a|b/', '(regex message "a|b")'],
  ['a\\|b', '(term _ "a|b")'],
  ['a\\|b | head 1', '(term _ "a|b") | (head 1)'],
  ['path:"x|y" | head 1', '(phrase path "x|y") | (head 1)'],
  ['status:[200 TO 300] | head 1', '(range status ["200" TO "300"]) | (head 1)'],
  ['a || b | head 1', '(or (term _ "a") (term _ "b")) | (head 1)'],
  ['a || b', '(or (term _ "a") (term _ "b"))'],
  ['a OR b | stats count()', '(or (term _ "a") (term _ "b")) | (stats count=(count))'],
  ['(a OR b) | stats count()', '(or (term _ "a") (term _ "b")) | (stats count=(count))'],
  ['* | stats count()', '(all) | (stats count=(count))'],
  ['*:* | stats count()', '(all) | (stats count=(count))'],
  [
    '| where a = 1 | stats count() by b | sort -count | head 5',
    '(all) | (where (= a 1)) | (stats count=(count) by b) | (sort -count) | (head 5)',
  ],
  ['| eval x = 1 | eval y = x | fields x, y', '(all) | (eval x=1) | (eval y=x) | (fields x y)'],
  ['| where x = "|"', '(all) | (where (= x "|"))'],
  ["| where x = '|' | head 1", '(all) | (where (= x "|")) | (head 1)'],
  ['| where x = "a" |head 1', '(all) | (where (= x "a")) | (head 1)'],
  [
    'level:ERROR | where x > 1 | stats count() by service | sort -count | head 10 | rename count as n | fields service, n',
    '(term level "ERROR") | (where (> x 1)) | (stats count=(count) by service) | (sort -count) | (head 10) | (rename count>n) | (fields service n)',
  ],
  ['|', "ERR 1 expected a command after '|'"],
  ['| ', "ERR 2 expected a command after '|'"],
  ['error |', "ERR 7 expected a command after '|'"],
  ['error | ', "ERR 8 expected a command after '|'"],
  ['| |', "ERR 2 expected a command after '|'"],
  ['| head ||', "ERR 7 unexpected '||' after the head command: start the next command with '|'"],
  ['| 5', "ERR 2 expected a command after '|', got '5'"],
  ['| "stats"', "ERR 2 expected a command after '|', got 'stats'"],
  ['| foo', "ERR 2 unknown command 'foo'"],
  ['| stats', "ERR 7 expected an aggregation such as count() after 'stats'"],
  ['| stats by x', "ERR 8 expected an aggregation such as count() after 'stats'"],
  ['| stats count() by', "ERR 18 expected a field name after 'by'"],
  ['| stats count(', 'ERR 14 expected a field name in count( )'],
  ['| stats count(x', "ERR 15 expected ')' to close count("],
  ['| stats avg', "ERR 11 expected '(' after 'avg': avg(field)"],
  ['| stats avg()', 'ERR 8 avg() needs a field: avg(field)'],
  ['| stats avg(*)', 'ERR 8 avg() needs a field: avg(field)'],
  ['| stats foo(x)', "ERR 8 unknown aggregation 'foo'"],
  ['| stats p0(x)', "ERR 8 unknown aggregation 'p0'"],
  ['| stats p100(x)', "ERR 8 unknown aggregation 'p100'"],
  ['| stats count(), count()', 'ERR 17 column "count" appears twice: name one with \'as\', or drop it'],
  ['| stats count() by count', 'ERR 19 column "count" appears twice: name one with \'as\', or drop it'],
  ['| stats count() as', "ERR 18 expected a column name after 'as'"],
  ['| stats count() as 5', "ERR 19 expected a column name after 'as'"],
  ['| stats count() by a,', 'ERR 21 expected a field name'],
  ['| where', "ERR 7 expected a condition such as status >= 500 after 'where'"],
  ['| where status', '(all) | (where status)'],
  ['| where status >=', 'ERR 17 expected a value'],
  [
    '| where status > 500 600',
    "ERR 21 unexpected '600' after the where command: start the next command with '|'",
  ],
  ['| where (status > 500', "ERR 21 expected ')' to close the '(' at col 9"],
  ['| where status > 500)', "ERR 20 unexpected ')' after the where command: start the next command with '|'"],
  ['| where status = "x', 'ERR 17 unterminated string: expected a closing " for this one'],
  ["| where status = 'x", "ERR 17 unterminated string: expected a closing ' for this one"],
  ['| where a = `x', 'ERR 12 unterminated field name: expected a closing ` for this one'],
  ['| where a = ``', 'ERR 12 expected a field name between the backquotes'],
  [
    '| where level:ERROR',
    "ERR 13 unexpected ':': pipe commands take expressions such as level = \"ERROR\" (field:value belongs before the first '|')",
  ],
  ['| where a # b', "ERR 10 unexpected '#'"],
  ['| where a not b', "ERR 14 expected 'in' or 'like' after 'not'"],
  ['| where a is b', "ERR 13 expected 'null' after 'is'"],
  ['| where a is not b', "ERR 17 expected 'null' after 'is not'"],
  ['| where a in 1', "ERR 13 expected '(' after 'in'"],
  ['| where a in (1', "ERR 15 expected ',' or ')' to close the list opened at col 14"],
  ['| where a in (1 2)', "ERR 16 expected ',' or ')' to close the list opened at col 14"],
  ['| where a in ()', "ERR 14 expected a value, got ')'"],
  ['| where foo(a)', "ERR 8 unknown function 'foo'"],
  ['| where len()', 'ERR 8 len() takes 1 argument, got 0: len(text or list)'],
  ['| where len(a, b)', 'ERR 8 len() takes 1 argument, got 2: len(text or list)'],
  ['| where round()', 'ERR 8 round() takes 1 to 2 arguments, got 0: round(number[, digits])'],
  ['| where if(a, b)', 'ERR 8 if() takes 3 arguments, got 2: if(condition, then, else)'],
  ['| where and = 1', "ERR 8 expected a value, got 'and' (write `and` for a field of that name)"],
  ['| where a = and', "ERR 12 expected a value, got 'and' (write `and` for a field of that name)"],
  ['| where (', 'ERR 9 expected a value'],
  ['| where ()', "ERR 9 expected a value, got ')'"],
  ['| where a = 1 ,', "ERR 14 unexpected ',' after the where command: start the next command with '|'"],
  ['| eval', 'ERR 6 expected a field name to assign, as in eval x = y * 2'],
  ['| eval x', "ERR 8 expected '=' after 'x'"],
  ['| eval x =', "ERR 10 expected an expression after '='"],
  ['| eval x == 1', "ERR 9 expected '=' after 'x'"],
  ['| eval x = 1 y = 2', "ERR 13 unexpected 'y' after the eval command: start the next command with '|'"],
  ['| eval = 1', 'ERR 7 expected a field name to assign, as in eval x = y * 2'],
  ['| eval x = 1,', 'ERR 13 expected a field name to assign, as in eval x = y * 2'],
  ['| timechart', "ERR 11 expected an aggregation such as count() after 'timechart'"],
  ['| timechart span=5m', "ERR 19 expected an aggregation such as count() after 'timechart'"],
  ['| timechart span= count()', "ERR 18 expected a time span after 'span=', such as 5m"],
  ['| timechart span=m count()', "ERR 17 expected a time span after 'span=', such as 5m"],
  ['| timechart span=5 count()', "ERR 17 expected a time span after 'span=', such as 5m"],
  ['| timechart span=5x count()', "ERR 17 unknown time unit 'x': use ms, s, m, h, d, w, M (month), q or y"],
  ['| timechart span=0m count()', "ERR 17 the time span must be at least 1, got '0m'"],
  [
    '| timechart span=2M count()',
    'ERR 17 calendar spans (w, M, q, y) take only 1: write 1M, or a fixed span such as 60d',
  ],
  ['| timechart span count()', "ERR 17 expected '=' after 'span'"],
  ['| timechart count() by a, b', 'ERR 24 timechart splits by one field only'],
  ['| timechart count() by', "ERR 22 expected a field name after 'by'"],
  ['| top', "ERR 5 expected a field name after 'top'"],
  ['| top 5', "ERR 7 expected a field name after 'top'"],
  ['| top 0 x', "ERR 6 the top count must be a whole number, 1 to 10000; got '0'"],
  ['| top 10001 x', "ERR 6 the top count must be a whole number, 1 to 10000; got '10001'"],
  ['| top limit=0 x', "ERR 12 the top limit must be a whole number, 1 to 10000; got '0'"],
  ['| top x by', "ERR 10 expected a field name after 'by'"],
  ['| top count', '(all) | (top 10 count)'],
  ['| rare', "ERR 6 expected a field name after 'rare'"],
  ['| sort', "ERR 6 expected a field name after 'sort'"],
  ['| sort -', 'ERR 8 expected a field name to sort by'],
  ['| sort 10 x', "ERR 7 expected a field name to sort by (sort takes no count: add '| head N')"],
  ['| sort x,', 'ERR 9 expected a field name to sort by'],
  ['| head x', "ERR 7 unexpected 'x' after the head command: start the next command with '|'"],
  ['| head -1', "ERR 7 the head count must be a whole number, at least 0; got '-1'"],
  ['| head 1.5', "ERR 7 the head count must be a whole number, at least 0; got '1.5'"],
  ['| head 5 6', "ERR 9 unexpected '6' after the head command: start the next command with '|'"],
  ['| head 5 | ', "ERR 11 expected a command after '|'"],
  ['| fields', "ERR 8 expected a field name after 'fields'"],
  ['| fields -', "ERR 10 expected a field name after 'fields'"],
  ['| fields a, a', 'ERR 12 column "a" appears twice: list it once'],
  ['| table - a', "ERR 8 expected a field name, got '-'"],
  ['| rename', "ERR 8 expected a field name to rename after 'rename'"],
  ['| rename a', "ERR 10 expected 'as' after 'a'"],
  ['| rename a b', "ERR 11 expected 'as' after 'a'"],
  ['| rename a as', "ERR 13 expected the new field name after 'as'"],
  ['| rename a as b c', "ERR 16 unexpected 'c' after the rename command: start the next command with '|'"],
  ['| dedup', "ERR 7 expected a field name after 'dedup'"],
  ['| dedup a,', 'ERR 10 expected a field name'],
  ['| where a = 1 | stats count() | foo', "ERR 32 unknown command 'foo'"],
];

describe('parseQueryWithPipes', () => {
  it.each(CASES)('%s', (query, expected) => {
    expect(outcome(query)).toBe(expected);
  });

  it('has a large table with error cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    expect(CASES.filter(([, e]) => e.startsWith('ERR')).length).toBeGreaterThanOrEqual(50);
  });

  it('shows the query with a caret under the column and lists what was expected', () => {
    const err = parseError('level:ERROR | stats avg(rt) by');
    expect(err.status).toBe(400);
    expect(err.code).toBe('invalid_query');
    expect(err.message).toBe(
      "line 1, col 31: expected a field name after 'by'\n  level:ERROR | stats avg(rt) by\n                                ^",
    );
    expect(err.details).toEqual({ line: 1, column: 31, position: 30, expected: ['a field name'] });
    const cmd = parseError('error | statz count()');
    expect(cmd.message).toBe("line 1, col 9: unknown command 'statz'\n  error | statz count()\n          ^");
    expect(cmd.details?.['expected']).toContain('stats');
  });

  it('points at lines and columns of multi-line queries', () => {
    const err = parseError('level:ERROR\n| where status > 5 +\n| head 5');
    expect(err.message).toBe("line 3, col 1: expected a value, got '|'\n  | head 5\n  ^");
    expect(err.details).toMatchObject({ line: 3, column: 1, position: 33 });
    const eval_ = parseError('*\n| eval x = 1,\n  y == 2');
    expect(eval_.message).toBe("line 3, col 5: expected '=' after 'y'\n    y == 2\n      ^");
  });

  it('quotes the whole query for a syntax error in the search part', () => {
    const err = parseError('status: | stats count()');
    expect(err.message).toBe(
      "line 1, col 9: expected a value after 'status:'\n  status: | stats count()\n          ^",
    );
    expect(err.details?.['expected']).toContain('a term');
  });

  it('reads the search exactly as parseQuery does when there are no pipes', () => {
    const queries = [
      '',
      '*',
      'level:ERROR AND service:api',
      'a || b && !c',
      '"a | b"',
      'message:/x|y/',
      'a\\|b',
      'status:[200 TO 300}',
      'path:"/var/log"',
      '(a OR b) -c +d',
      '@timestamp:[now-1h TO now] status:>=500',
    ];
    for (const q of queries) {
      expect(parseQueryWithPipes(q), q).toEqual({ search: parseQuery(q), pipes: [] });
    }
  });

  it('parses the search part as parseQuery parses it alone', () => {
    for (const [search, rest] of [
      ['level:ERROR AND NOT service:api', ' | head 1'],
      ['message:"x | y" OR /a|b/', '| stats count()'],
      ['status:>=500', ' |where x = 1'],
      ['a\\|b c', ' | dedup a'],
    ] as const) {
      expect(parseQueryWithPipes(search + rest).search).toEqual(parseQuery(search));
    }
  });

  it('records spans as offsets into the whole query', () => {
    const q = 'level:ERROR | where rt > 100 | stats avg(rt) as mean by service';
    const [where, stats] = pipesOf(q) as [
      Extract<PipeCommand, { kind: 'where' }>,
      Extract<PipeCommand, { kind: 'stats' }>,
    ];
    expect(q.slice(where.span.start, where.span.end)).toBe('where rt > 100');
    const cond = where.condition as Extract<Expr, { kind: 'binary' }>;
    expect(q.slice(cond.span.start, cond.span.end)).toBe('rt > 100');
    expect(q.slice(cond.left.span.start, cond.left.span.end)).toBe('rt');
    expect(q.slice(cond.right.span.start, cond.right.span.end)).toBe('100');
    expect(q.slice(stats.span.start, stats.span.end)).toBe('stats avg(rt) as mean by service');
    expect(q.slice(stats.aggs[0]!.span.start, stats.aggs[0]!.span.end)).toBe('avg(rt) as mean');
    expect(q.slice(stats.by[0]!.span.start, stats.by[0]!.span.end)).toBe('service');
    const [evalCmd] = pipesOf('| eval x = (a + 1) * lower(b)');
    const assignment = (evalCmd as Extract<PipeCommand, { kind: 'eval' }>).assignments[0]!;
    expect(assignment.span).toEqual({ start: 7, end: 29 });
    const [timechart] = pipesOf('| timechart span=5m count()');
    expect((timechart as Extract<PipeCommand, { kind: 'timechart' }>).interval).toEqual({
      value: 5,
      unit: 'm',
      text: '5m',
      span: { start: 17, end: 19 },
    });
  });

  it('keeps literals typed and strings unescaped', () => {
    const [where] = pipesOf('| where a = "x\\"y" or b = 2.5 or c = false or d = null');
    const literals: unknown[] = [];
    const walk = (e: Expr): void => {
      if (e.kind === 'literal') literals.push(e.value);
      if (e.kind === 'binary') {
        walk(e.left);
        walk(e.right);
      }
    };
    walk((where as Extract<PipeCommand, { kind: 'where' }>).condition);
    expect(literals).toEqual(['x"y', 2.5, false, null]);
  });

  it('limits the number of commands and the nesting of expressions', () => {
    const ok = `*${' | head 1'.repeat(MAX_PIPES)}`;
    expect(pipesOf(ok)).toHaveLength(MAX_PIPES);
    const tooMany = parseError(`${ok} | head 1`);
    expect(tooMany.message).toBe(`Cannot run the query: it chains more than ${MAX_PIPES} commands`);
    expect(outcome(`| where ${'('.repeat(90)}a${')'.repeat(90)} = 1`)).toBe('(all) | (where (= a 1))');
    const deep = parseError(`| where ${'('.repeat(5000)}a${')'.repeat(5000)}`);
    expect(deep.message).toMatch(/the expression nests too deeply: more than 100 levels/);
    expect(parseError(`| where ${'not '.repeat(200)}a`).message).toMatch(/nests too deeply/);
    expect(parseError(`| where ${'-'.repeat(200)}a`).message).toMatch(/nests too deeply/);
    expect(parseError(`| where ${'lower('.repeat(200)}a${')'.repeat(200)}`).message).toMatch(
      /nests too deeply/,
    );
  });

  it('rejects queries over the length limit before splitting them', () => {
    const err = parseError(`| where a = "${'x'.repeat(70_000)}"`);
    expect(err.message).toMatch(/is 70\d+ characters long, the limit is 65536/);
  });

  it('parses long flat expressions and lists without recursion trouble', () => {
    const sum = Array.from({ length: 3000 }, (_, i) => `x${i}`).join(' + ');
    expect(pipesOf(`| eval total = ${sum}`)).toHaveLength(1);
    const list = Array.from({ length: 3000 }, (_, i) => String(i)).join(', ');
    expect(pipesOf(`| where status in (${list})`)).toHaveLength(1);
    const big = `| where ${Array.from({ length: 700 }, (_, i) => `f${i} = "v${i}"`).join(' or ')}`;
    expect(big.length).toBeGreaterThan(10_000);
    expect(pipesOf(big)).toHaveLength(1);
  });

  it('yields an AST or a 400 for random and hostile text, never a crash', () => {
    let seed = 12_345;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const pieces = [
      '|',
      '||',
      ' ',
      'where',
      'stats',
      'eval',
      'by',
      'as',
      'count()',
      'x',
      '=',
      '"',
      "'",
      '`',
      '\\',
      '(',
      ')',
      ',',
      '-',
      '*',
      '/',
      '%',
      'not',
      'in',
      'like',
      'is',
      'null',
      '1',
      '1.5',
      'span=5m',
      'timechart',
      'top',
      'sort',
      'head',
      'é',
      '😀',
      ':',
      ';',
      "'; DROP TABLE e; --",
      '$1',
      '\n',
      'lower(',
      'and',
      'or',
    ];
    let parsed = 0;
    for (let i = 0; i < 5000; i++) {
      let q = '';
      for (let j = rand(25); j > 0; j--) q += pieces[rand(pieces.length)];
      try {
        parseQueryWithPipes(q);
        parsed++;
      } catch (err) {
        expect(err, q).toBeInstanceOf(CairnError);
        expect((err as CairnError).status).toBe(400);
      }
    }
    expect(parsed).toBeGreaterThan(100);
  });
});
