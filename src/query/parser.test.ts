import { describe, expect, it } from 'vitest';
import { CairnError } from '../model/errors.js';
import type { QueryNode } from './ast.js';
import { parseQuery, printQuery } from './index.js';

/** The printed AST, or `ERR <position> <message without the location prefix>`. */
function outcome(query: string, options: { defaultOperator?: 'AND' | 'OR' } = {}): string {
  try {
    return printQuery(parseQuery(query, options));
  } catch (err) {
    if (!(err instanceof CairnError)) throw err;
    const firstLine = err.message.split('\n')[0]!.replace(/^line \d+, col \d+: /, '');
    return `ERR ${err.details?.['position']} ${firstLine}`;
  }
}

function parseError(query: string): CairnError {
  try {
    parseQuery(query);
  } catch (err) {
    if (err instanceof CairnError) return err;
    throw err;
  }
  throw new Error(`expected "${query}" to fail`);
}

// Each row: query, expected AST (see printQuery) or expected error. Default operator AND.
const CASES: [string, string][] = [
  // bare terms
  ['hello', '(term _ "hello")'],
  ['ERROR', '(term _ "ERROR")'],
  ['hello world', '(and (term _ "hello") (term _ "world"))'],
  ['hello   world', '(and (term _ "hello") (term _ "world"))'],
  [' hello ', '(term _ "hello")'],
  ['héllo', '(term _ "héllo")'],
  ['日本語', '(term _ "日本語")'],
  ['naïve café', '(and (term _ "naïve") (term _ "café"))'],
  ['emoji😀', '(term _ "emoji😀")'],
  ['123', '(term _ "123")'],
  ['-5', '(not (term _ "5"))'],
  ['3.14', '(term _ "3.14")'],
  ['a-b', '(term _ "a-b")'],
  ['connection-refused', '(term _ "connection-refused")'],
  ['foo_bar', '(term _ "foo_bar")'],
  ['foo.bar', '(term _ "foo.bar")'],
  ['foo/bar', '(term _ "foo/bar")'],
  ['10.0.0.1', '(term _ "10.0.0.1")'],
  ['user@example.com', '(term _ "user@example.com")'],
  ['a=b', '(term _ "a=b")'],
  ['a&b', '(term _ "a&b")'],
  ['a|b', '(term _ "a|b")'],
  ['a!', '(term _ "a!")'],
  ['a+b', '(term _ "a+b")'],
  ['k8s', '(term _ "k8s")'],
  ['C:\\Windows', '(term C "Windows")'],
  // phrases
  ['"hello world"', '(phrase _ "hello world")'],
  ['"hello"', '(phrase _ "hello")'],
  ['""', '(phrase _ "")'],
  ['"a \\"quoted\\" word"', '(phrase _ "a \\"quoted\\" word")'],
  ['"back\\slash"', '(phrase _ "backslash")'],
  ['"AND"', '(phrase _ "AND")'],
  ['"a:b"', '(phrase _ "a:b")'],
  ['"x*y?"', '(phrase _ "x*y?")'],
  ['"(parens)"', '(phrase _ "(parens)")'],
  ['"日本 語"', '(phrase _ "日本 語")'],
  // fields
  ['level:ERROR', '(term level "ERROR")'],
  ['level:error', '(term level "error")'],
  ['level: ERROR', '(term level "ERROR")'],
  ['level :ERROR', '(term level "ERROR")'],
  ['status:200', '(term status "200")'],
  ['status:-1', '(term status "-1")'],
  ['http.request.method:GET', '(term http.request.method "GET")'],
  ['@timestamp:2024-01-01', '(term @timestamp "2024-01-01")'],
  ['service:payment-service', '(term service "payment-service")'],
  ['host:web-01.example.com', '(term host "web-01.example.com")'],
  ['user.name:"John Smith"', '(phrase user.name "John Smith")'],
  ['message:"connection refused"', '(phrase message "connection refused")'],
  ['a.b.c.d.e:x', '(term a.b.c.d.e "x")'],
  ['_id:abc123', '(term _id "abc123")'],
  ['field_name:value', '(term field_name "value")'],
  ['Field-Name:value', '(term Field-Name "value")'],
  ['x:y:z', '(term x "y:z")'],
  ['time:10:30:00', '(term time "10:30:00")'],
  ['ip:::1', '(term ip "::1")'],
  ['ip:fe80::1', '(term ip "fe80::1")'],
  ['url:http://example.com/path', '(term url "http://example.com/path")'],
  ['path:/var/log', '(and (regex path "var") (term _ "log"))'],
  ['path:\\/var\\/log', '(term path "/var/log")'],
  ['temp:+5', '(term temp "+5")'],
  ['mood:!happy', '(term mood "!happy")'],
  // field groups
  ['status:(200 OR 404)', '(or (term status "200") (term status "404"))'],
  ['status:(200 404)', '(and (term status "200") (term status "404"))'],
  ['status:(200 AND 404)', '(and (term status "200") (term status "404"))'],
  ['level:(ERROR OR WARN OR FATAL)', '(or (term level "ERROR") (term level "WARN") (term level "FATAL"))'],
  ['level:(NOT DEBUG)', '(not (term level "DEBUG"))'],
  ['level:(-DEBUG)', '(not (term level "DEBUG"))'],
  ['level:(ERROR OR (WARN AND x))', '(or (term level "ERROR") (and (term level "WARN") (term level "x")))'],
  ['message:("a b" OR c)', '(or (phrase message "a b") (term message "c"))'],
  ['status:([200 TO 299] OR 404)', '(or (range status ["200" TO "299"]) (term status "404"))'],
  ['status:(>500 OR 404)', '(or (range status {"500" TO *]) (term status "404"))'],
  ['path:(/a.*/ OR b)', '(or (regex path "a.*") (term path "b"))'],
  ['service:(api*)', '(wild service "api*")'],
  ['time:(10:30 OR 11:00)', '(or (term time "10:30") (term time "11:00"))'],
  // boolean operators
  ['a AND b', '(and (term _ "a") (term _ "b"))'],
  ['a OR b', '(or (term _ "a") (term _ "b"))'],
  ['NOT a', '(not (term _ "a"))'],
  ['a AND NOT b', '(and (term _ "a") (not (term _ "b")))'],
  ['a OR NOT b', '(and (term _ "a") (not (term _ "b")))'],
  ['NOT a OR b', '(and (term _ "b") (not (term _ "a")))'],
  ['NOT a AND b', '(and (not (term _ "a")) (term _ "b"))'],
  ['a && b', '(and (term _ "a") (term _ "b"))'],
  ['a || b', '(or (term _ "a") (term _ "b"))'],
  ['!a', '(not (term _ "a"))'],
  ['! a', '(not (term _ "a"))'],
  ['a && !b', '(and (term _ "a") (not (term _ "b")))'],
  ['a AND b AND c', '(and (term _ "a") (term _ "b") (term _ "c"))'],
  ['a OR b OR c', '(or (term _ "a") (term _ "b") (term _ "c"))'],
  ['a AND b OR c', '(or (and (term _ "a") (term _ "b")) (term _ "c"))'],
  ['a OR b AND c', '(or (term _ "a") (and (term _ "b") (term _ "c")))'],
  ['a OR b AND c OR d', '(or (term _ "a") (and (term _ "b") (term _ "c")) (term _ "d"))'],
  ['a AND (b OR c)', '(and (term _ "a") (or (term _ "b") (term _ "c")))'],
  ['(a OR b) AND c', '(and (or (term _ "a") (term _ "b")) (term _ "c"))'],
  ['(a OR b) AND (c OR d)', '(and (or (term _ "a") (term _ "b")) (or (term _ "c") (term _ "d")))'],
  ['((a))', '(term _ "a")'],
  ['(((a OR b)))', '(or (term _ "a") (term _ "b"))'],
  ['NOT (a OR b)', '(not (or (term _ "a") (term _ "b")))'],
  ['NOT NOT a', '(not (not (term _ "a")))'],
  ['!!a', '(not (not (term _ "a")))'],
  ['a b', '(and (term _ "a") (term _ "b"))'],
  ['a b c', '(and (term _ "a") (term _ "b") (term _ "c"))'],
  ['a b OR c', '(or (and (term _ "a") (term _ "b")) (term _ "c"))'],
  ['a OR b c', '(or (term _ "a") (and (term _ "b") (term _ "c")))'],
  ['a AND b c', '(and (term _ "a") (term _ "b") (term _ "c"))'],
  ['NOT a b', '(and (not (term _ "a")) (term _ "b"))'],
  ['a and b', '(and (term _ "a") (term _ "and") (term _ "b"))'],
  ['a or b', '(and (term _ "a") (term _ "or") (term _ "b"))'],
  ['not a', '(and (term _ "not") (term _ "a"))'],
  ['And', '(term _ "And")'],
  ['Or', '(term _ "Or")'],
  ['AND_x', '(term _ "AND_x")'],
  ['ORx', '(term _ "ORx")'],
  ['xAND', '(term _ "xAND")'],
  ['NOTE', '(term _ "NOTE")'],
  ['a AND b OR NOT c', '(and (and (term _ "a") (term _ "b")) (not (term _ "c")))'],
  ['a&&b', '(and (term _ "a") (term _ "b"))'],
  ['a||b', '(or (term _ "a") (term _ "b"))'],
  ['a &&b', '(and (term _ "a") (term _ "b"))'],
  ['a|| b', '(or (term _ "a") (term _ "b"))'],
  // prefixes
  ['+a', '(term _ "a")'],
  ['-a', '(not (term _ "a"))'],
  ['+a -b', '(and (term _ "a") (not (term _ "b")))'],
  ['a +b', '(and (term _ "a") (term _ "b"))'],
  ['a -b', '(and (term _ "a") (not (term _ "b")))'],
  ['-a -b', '(and (not (term _ "a")) (not (term _ "b")))'],
  ['+a +b', '(and (term _ "a") (term _ "b"))'],
  ['a +b -c', '(and (term _ "a") (term _ "b") (not (term _ "c")))'],
  ['+a b', '(and (term _ "a") (term _ "b"))'],
  ['-a b', '(and (not (term _ "a")) (term _ "b"))'],
  ['a -b c', '(and (term _ "a") (not (term _ "b")) (term _ "c"))'],
  ['+level:ERROR -service:api', '(and (term level "ERROR") (not (term service "api")))'],
  ['-(a OR b)', '(not (or (term _ "a") (term _ "b")))'],
  ['+(a b)', '(and (term _ "a") (term _ "b"))'],
  ['-"a phrase"', '(not (phrase _ "a phrase"))'],
  ['-status:[400 TO 499]', '(not (range status ["400" TO "499"]))'],
  ['a - b', '(and (term _ "a") (not (term _ "b")))'],
  ['--a', '(not (not (term _ "a")))'],
  ['+-a', '(not (term _ "a"))'],
  ['a -b OR c', '(or (and (term _ "a") (not (term _ "b"))) (term _ "c"))'],
  ['a OR -b', '(and (term _ "a") (not (term _ "b")))'],
  ['a OR +b', '(term _ "b")'],
  ['+a OR b', '(term _ "a")'],
  ['+a OR -b', '(and (term _ "a") (not (term _ "b")))'],
  // wildcards
  ['serv*', '(wild _ "serv*")'],
  ['us?r', '(wild _ "us?r")'],
  ['*ing', '(wild _ "*ing")'],
  ['s*e*v', '(wild _ "s*e*v")'],
  ['?', '(wild _ "?")'],
  ['**', '(wild _ "**")'],
  ['level:ERR*', '(wild level "ERR*")'],
  ['level:*ROR', '(wild level "*ROR")'],
  ['service:pay*-service', '(wild service "pay*-service")'],
  ['http.*:GET', '(term http.* "GET")'],
  ['*.method:GET', '(term *.method "GET")'],
  ['http.request.*:"GET"', '(phrase http.request.* "GET")'],
  ['h?st:web', '(term h?st "web")'],
  ['*:foo', '(term * "foo")'],
  ['*', '(all)'],
  ['*:*', '(all)'],
  ['(*)', '(all)'],
  ['a AND *', '(and (term _ "a") (all))'],
  ['level:*', '(exists level)'],
  ['host:*', '(exists host)'],
  ['_exists_:host', '(exists host)'],
  ['_exists_:http.request.method', '(exists http.request.method)'],
  ['_exists_:"host"', '(exists host)'],
  ['_exists_:http.*', '(exists http.*)'],
  ['_exists_:(host OR service)', '(or (exists host) (exists service))'],
  ['x\\*y', '(term _ "x*y")'],
  ['x\\?y', '(term _ "x?y")'],
  ['x\\*y*', '(wild _ "x\\\\*y*")'],
  ['\\*', '(term _ "*")'],
  ['a\\\\*', '(wild _ "a\\\\\\\\*")'],
  // regex
  ['/abc/', '(regex _ "abc")'],
  ['/ab.*c/', '(regex _ "ab.*c")'],
  ['message:/^ERROR: .*/', '(regex message "^ERROR: .*")'],
  ['path:/\\/var\\/log\\/.*/', '(regex path "/var/log/.*")'],
  ['x:/[0-9]{3}/', '(regex x "[0-9]{3}")'],
  ['x:/a|b/', '(regex x "a|b")'],
  ['x:/(a)(b)/', '(regex x "(a)(b)")'],
  ['x://', '(regex x "")'],
  ['x:/a\\.b/', '(regex x "a\\\\.b")'],
  ['x:/a b/', '(regex x "a b")'],
  ['x:/a"b/', '(regex x "a\\"b")'],
  ['NOT x:/a/', '(not (regex x "a"))'],
  // ranges
  ['status:[200 TO 299]', '(range status ["200" TO "299"])'],
  ['status:{200 TO 299}', '(range status {"200" TO "299"})'],
  ['status:[200 TO 299}', '(range status ["200" TO "299"})'],
  ['status:{200 TO 299]', '(range status {"200" TO "299"])'],
  ['status:[200 TO *]', '(range status ["200" TO *])'],
  ['status:[* TO 299]', '(range status [* TO "299"])'],
  ['status:[* TO *]', '(range status [* TO *])'],
  ['status:{* TO 5}', '(range status [* TO "5"})'],
  ['bytes:[1e3 TO 1e6]', '(range bytes ["1e3" TO "1e6"])'],
  ['temp:[-10 TO -1]', '(range temp ["-10" TO "-1"])'],
  ['[a TO b]', '(range _ ["a" TO "b"])'],
  ['name:[a TO m]', '(range name ["a" TO "m"])'],
  ['name:["a b" TO "c d"]', '(range name ["a b" TO "c d"])'],
  ['@timestamp:[now-1h TO now]', '(range @timestamp ["now-1h" TO "now"])'],
  ['@timestamp:[now-15m/m TO now/m]', '(range @timestamp ["now-15m/m" TO "now/m"])'],
  ['@timestamp:[2024-01-01 TO 2024-01-31]', '(range @timestamp ["2024-01-01" TO "2024-01-31"])'],
  [
    '@timestamp:[2024-01-01T00:00:00Z TO 2024-01-02T00:00:00.000Z]',
    '(range @timestamp ["2024-01-01T00:00:00Z" TO "2024-01-02T00:00:00.000Z"])',
  ],
  ['@timestamp:[2024-01-01||+1M TO now]', '(range @timestamp ["2024-01-01||+1M" TO "now"])'],
  ['@timestamp:{now/d TO *}', '(range @timestamp {"now/d" TO *])'],
  ['clientip:[10.0.0.0 TO 10.255.255.255]', '(range clientip ["10.0.0.0" TO "10.255.255.255"])'],
  ['status:[ 200   TO   299 ]', '(range status ["200" TO "299"])'],
  ['status:[200 TO 299]^2', '(range status ["200" TO "299"])'],
  ['v:[a\\]b TO c]', '(range v ["a]b" TO "c"])'],
  // comparisons
  ['status:>500', '(range status {"500" TO *])'],
  ['status:>=500', '(range status ["500" TO *])'],
  ['status:<500', '(range status [* TO "500"})'],
  ['status:<=500', '(range status [* TO "500"])'],
  ['status:> 500', '(range status {"500" TO *])'],
  ['status:>-5', '(range status {"-5" TO *])'],
  ['@timestamp:>now-1h', '(range @timestamp {"now-1h" TO *])'],
  ['@timestamp:>="2024-01-01T10:00:00"', '(range @timestamp ["2024-01-01T10:00:00" TO *])'],
  ['@timestamp:<2024-01-01T10:00:00', '(range @timestamp [* TO "2024-01-01T10:00:00"})'],
  ['clientip:>10.0.0.5', '(range clientip {"10.0.0.5" TO *])'],
  ['name:>"a b"', '(range name {"a b" TO *])'],
  ['>5', '(range _ {"5" TO *])'],
  ['<=10', '(range _ [* TO "10"])'],
  ['status:>*', '(range status [* TO *])'],
  ['a AND status:>=500', '(and (term _ "a") (range status ["500" TO *]))'],
  ['status:>=500 AND status:<600', '(and (range status ["500" TO *]) (range status [* TO "600"}))'],
  // KQL-style comparisons: a term followed by < or > is a field
  ['status>=500', '(range status ["500" TO *])'],
  ['status >= 500', '(range status ["500" TO *])'],
  ['status > 500 AND level:ERROR', '(and (range status {"500" TO *]) (term level "ERROR"))'],
  ['bytes<1e3', '(range bytes [* TO "1e3"})'],
  ['@timestamp >= now-1h', '(range @timestamp ["now-1h" TO *])'],
  ['price <= -5', '(range price [* TO "-5"])'],
  ['x > "a b"', '(range x {"a b" TO *])'],
  ['http.*>5', '(range http.* {"5" TO *])'],
  ['a->b', '(range a- {"b" TO *])'],
  ['a\\>b', '(term _ "a>b")'],
  ['"a->b"', '(phrase _ "a->b")'],
  ['status >=', "ERR 9 expected a value after 'status >='"],
  // ip & cidr
  ['clientip:10.0.0.0/8', '(term clientip "10.0.0.0/8")'],
  ['clientip:192.168.1.1', '(term clientip "192.168.1.1")'],
  ['clientip:"10.0.0.0/8"', '(phrase clientip "10.0.0.0/8")'],
  ['clientip:2001:db8::1', '(term clientip "2001:db8::1")'],
  ['clientip:2001:db8::/32', '(term clientip "2001:db8::/32")'],
  // escaping
  ['a\\+b', '(term _ "a+b")'],
  ['\\+a', '(term _ "+a")'],
  ['\\-a', '(term _ "-a")'],
  ['a\\ b', '(term _ "a b")'],
  ['\\(a\\)', '(term _ "(a)")'],
  ['\\[a\\]', '(term _ "[a]")'],
  ['\\{a\\}', '(term _ "{a}")'],
  ['a\\:b', '(term _ "a:b")'],
  ['a\\:b:c', '(term a:b "c")'],
  ['\\"a\\"', '(term _ "\\"a\\"")'],
  ['a\\~b', '(term _ "a~b")'],
  ['a\\^b', '(term _ "a^b")'],
  ['a\\!b', '(term _ "a!b")'],
  ['a\\&&b', '(term _ "a&&b")'],
  ['a\\||b', '(term _ "a||b")'],
  ['a\\>b', '(term _ "a>b")'],
  ['a\\<b', '(term _ "a<b")'],
  ['a\\=b', '(term _ "a=b")'],
  ['a\\/b', '(term _ "a/b")'],
  ['\\/a\\/', '(term _ "/a/")'],
  ['\\\\', '(term _ "\\\\")'],
  ['a\\\\b', '(term _ "a\\\\b")'],
  ['first\\ name:John', '(term "first name" "John")'],
  ['a\\ND', '(term _ "aND")'],
  ['\\AND', '(term _ "AND")'],
  ['\\OR b', '(and (term _ "OR") (term _ "b"))'],
  ['\\NOT', '(term _ "NOT")'],
  // fuzziness and boost
  ['roam~', '(term _ "roam")'],
  ['roam~1', '(term _ "roam")'],
  ['roam~0.8', '(term _ "roam")'],
  ['"a b"~5', '(phrase _ "a b")'],
  ['quick^2', '(term _ "quick")'],
  ['quick^0.5', '(term _ "quick")'],
  ['"a b"^3', '(phrase _ "a b")'],
  ['level:ERROR^2', '(term level "ERROR")'],
  ['(a OR b)^2', '(or (term _ "a") (term _ "b"))'],
  ['a~ b', '(and (term _ "a") (term _ "b"))'],
  ['a^2 AND b', '(and (term _ "a") (term _ "b"))'],
  ['x:y~2', '(term x "y")'],
  // unicode
  ['service:café', '(term service "café")'],
  ['message:"日本語のテキスト"', '(phrase message "日本語のテキスト")'],
  ['名前:値', '(term 名前 "値")'],
  ['level:ÉRROR', '(term level "ÉRROR")'],
  ['ключ:значение', '(term ключ "значение")'],
  ['x:🙂', '(term x "🙂")'],
  ['"🙂 smile"', '(phrase _ "🙂 smile")'],
  ['ü*', '(wild _ "ü*")'],
  // nested and complex
  [
    'level:ERROR AND (service:api OR service:web) AND NOT host:db*',
    '(and (term level "ERROR") (or (term service "api") (term service "web")) (not (wild host "db*")))',
  ],
  [
    '(level:ERROR OR level:WARN) AND status:>=500 AND @timestamp:[now-1h TO now]',
    '(and (or (term level "ERROR") (term level "WARN")) (range status ["500" TO *]) (range @timestamp ["now-1h" TO "now"]))',
  ],
  [
    'NOT (a AND (b OR (c AND NOT d)))',
    '(not (and (term _ "a") (or (term _ "b") (and (term _ "c") (not (term _ "d"))))))',
  ],
  [
    'a AND (b OR c) AND (d OR (e AND f))',
    '(and (term _ "a") (or (term _ "b") (term _ "c")) (or (term _ "d") (and (term _ "e") (term _ "f"))))',
  ],
  [
    '((a AND b) OR (c AND d)) AND NOT e',
    '(and (or (and (term _ "a") (term _ "b")) (and (term _ "c") (term _ "d"))) (not (term _ "e")))',
  ],
  [
    'service:api -level:DEBUG +status:500',
    '(and (term service "api") (not (term level "DEBUG")) (term status "500"))',
  ],
  ['a (b) c', '(and (term _ "a") (term _ "b") (term _ "c"))'],
  ['(a)(b)', '(and (term _ "a") (term _ "b"))'],
  ['a(b)', '(and (term _ "a") (term _ "b"))'],
  ['a"b"', '(and (term _ "a") (phrase _ "b"))'],
  ['"a"b', '(and (phrase _ "a") (term _ "b"))'],
  ['"a""b"', '(and (phrase _ "a") (phrase _ "b"))'],
  ['a:b c:d', '(and (term a "b") (term c "d"))'],
  ['a:b OR c:d AND e:f', '(or (term a "b") (and (term c "d") (term e "f")))'],
  ['a:(b c) d', '(and (and (term a "b") (term a "c")) (term _ "d"))'],
  // whitespace
  ['\ta\t', '(term _ "a")'],
  ['  a   AND   b  ', '(and (term _ "a") (term _ "b"))'],
  ['a　b', '(and (term _ "a") (term _ "b"))'],
];

const ERROR_CASES: [string, string][] = [
  ['level:ERROR AND status:', "ERR 23 expected a value after 'status:'"],
  ['status:', "ERR 7 expected a value after 'status:'"],
  [':value', "ERR 0 expected a field name before ':'"],
  ['a:', "ERR 2 expected a value after 'a:'"],
  ['(', "ERR 1 expected a clause after '('"],
  [')', "ERR 0 unexpected ')' without a matching '('"],
  ['(a', "ERR 2 expected ')' to close the '(' at col 1"],
  ['a)', "ERR 1 unexpected ')' without a matching '('"],
  ['((a)', "ERR 4 expected ')' to close the '(' at col 1"],
  ['(a))', "ERR 3 unexpected ')' without a matching '('"],
  ['()', "ERR 1 expected a clause after '('"],
  ['a AND', "ERR 5 expected a clause after 'AND'"],
  ['a OR', "ERR 4 expected a clause after 'OR'"],
  ['AND a', "ERR 0 expected a clause before 'AND'"],
  ['OR a', "ERR 0 expected a clause before 'OR'"],
  ['NOT', "ERR 3 expected a clause after 'NOT'"],
  ['a NOT', "ERR 5 expected a clause after 'NOT'"],
  ['a AND OR b', "ERR 6 expected a clause after 'AND', got 'OR'"],
  ['a && || b', "ERR 5 expected a clause after '&&', got '||'"],
  ['!', "ERR 1 expected a clause after '!'"],
  ['-', "ERR 1 expected a clause after '-'"],
  ['+', "ERR 1 expected a clause after '+'"],
  ['a -', "ERR 3 expected a clause after '-'"],
  ['"abc', "ERR 0 unterminated phrase: expected a closing '\"' for this quote"],
  ['"abc\\"', "ERR 0 unterminated phrase: expected a closing '\"' for this quote"],
  ['/abc', "ERR 0 unterminated regular expression: expected a closing '/' (escape a literal '/' as '\\/')"],
  ['x:/abc', "ERR 2 unterminated regular expression: expected a closing '/' (escape a literal '/' as '\\/')"],
  ['[1 TO 5', "ERR 7 expected ']' or '}' to close the range opened at col 1"],
  ['[1 TO 5)', "ERR 8 expected ']' or '}' to close the range opened at col 1"],
  ['[1 5]', "ERR 3 expected 'TO' between the bounds of a range"],
  ['[TO 5]', "ERR 1 expected a lower bound after '['"],
  ['[1 TO]', "ERR 5 expected an upper bound after 'TO'"],
  ['[1 TO ]', "ERR 6 expected an upper bound after 'TO'"],
  ['status:[1 TO 5 OR x', "ERR 15 expected ']' or '}' to close the range opened at col 8"],
  ['status:{1 TO', "ERR 12 expected an upper bound after 'TO'"],
  ['status:>', "ERR 8 expected a value after 'status:>'"],
  ['status:>=', "ERR 9 expected a value after 'status:>='"],
  ['status:> AND', "ERR 9 expected a value after 'status:>'"],
  [
    'status:AND',
    "ERR 7 expected a value after 'status:', got 'AND' (quote it to search for the word: \"AND\")",
  ],
  [
    'status:OR x',
    "ERR 7 expected a value after 'status:', got 'OR' (quote it to search for the word: \"OR\")",
  ],
  [
    'status:NOT',
    "ERR 7 expected a value after 'status:', got 'NOT' (quote it to search for the word: \"NOT\")",
  ],
  ['level:(', "ERR 7 expected a clause after '('"],
  ['level:()', "ERR 7 expected a clause after '('"],
  ['level:(a', "ERR 8 expected ')' to close the '(' at col 7"],
  ['a]', "ERR 1 unexpected ']': escape it as '\\]' to search for it"],
  ['a}', "ERR 1 unexpected '}': escape it as '\\}' to search for it"],
  [']', "ERR 0 unexpected ']': escape it as '\\]' to search for it"],
  ['}', "ERR 0 unexpected '}': escape it as '\\}' to search for it"],
  ['a ]', "ERR 2 unexpected ']': escape it as '\\]' to search for it"],
  ['^', "ERR 0 unexpected '^': it must follow a term, or escape it as '\\^'"],
  ['~', "ERR 0 unexpected '~': it must follow a term, or escape it as '\\~'"],
  ['a ^', "ERR 2 unexpected '^': it must follow a term, or escape it as '\\^'"],
  ['a^', "ERR 2 expected a number after '^' (boost), or escape it as '\\^'"],
  ['a^x', "ERR 2 expected a number after '^' (boost), or escape it as '\\^'"],
  ['a\\', "ERR 2 expected a character after '\\' (write '\\\\' for a backslash)"],
  ['status:)', "ERR 7 expected a value after 'status:'"],
  ['_exists_:/a/', "ERR 9 expected a field name after '_exists_:'"],
  ['_exists_:[a TO b]', "ERR 9 expected a field name after '_exists_:'"],
  ['_exists_:>5', "ERR 9 expected a field name after '_exists_:'"],
  ['a AND (b OR c', "ERR 13 expected ')' to close the '(' at col 7"],
  ['a AND (b OR c))', "ERR 14 unexpected ')' without a matching '('"],
  ['x:y:', '(term x "y:")'],
  ['a :', "ERR 3 expected a value after 'a :'"],
];

describe('parseQuery', () => {
  it.each(CASES)('%s', (query, expected) => {
    expect(outcome(query)).toBe(expected);
  });

  it.each(ERROR_CASES)('rejects %s', (query, expected) => {
    expect(outcome(query)).toBe(expected);
  });
});

// With `defaultOperator: 'OR'`, clauses side by side are alternatives; `+`/`-` follow Lucene.
const OR_CASES: [string, string][] = [
  ['a b', '(or (term _ "a") (term _ "b"))'],
  ['a b c', '(or (term _ "a") (term _ "b") (term _ "c"))'],
  ['a AND b c', '(or (and (term _ "a") (term _ "b")) (term _ "c"))'],
  ['a b AND c', '(or (term _ "a") (and (term _ "b") (term _ "c")))'],
  ['a OR b', '(or (term _ "a") (term _ "b"))'],
  ['a -b', '(and (term _ "a") (not (term _ "b")))'],
  ['a b -c', '(and (or (term _ "a") (term _ "b")) (not (term _ "c")))'],
  ['a +b', '(term _ "b")'],
  ['a +b -c', '(and (term _ "b") (not (term _ "c")))'],
  ['+a +b c', '(and (term _ "a") (term _ "b"))'],
  ['-a -b', '(and (not (term _ "a")) (not (term _ "b")))'],
  ['NOT a b', '(and (term _ "b") (not (term _ "a")))'],
  ['status:(200 404)', '(or (term status "200") (term status "404"))'],
  ['level:ERROR service:api', '(or (term level "ERROR") (term service "api"))'],
  ['(a b) AND c', '(and (or (term _ "a") (term _ "b")) (term _ "c"))'],
  ['a && b || c', '(or (and (term _ "a") (term _ "b")) (term _ "c"))'],
  ['quick brown +fox -news', '(and (term _ "fox") (not (term _ "news")))'],
];

describe('parseQuery with defaultOperator OR', () => {
  it.each(OR_CASES)('%s', (query, expected) => {
    expect(outcome(query, { defaultOperator: 'OR' })).toBe(expected);
  });
});

describe('queries that match everything', () => {
  it.each(['', ' ', '\t\n ', '*', '*:*', '  *  ', '(*)'])('%j is null', (query) => {
    expect(parseQuery(query)).toBeNull();
  });
});

describe('syntax errors', () => {
  it('quotes the query with a caret under the column and lists what was expected', () => {
    const err = parseError('level:ERROR AND status:');
    expect(err.code).toBe('invalid_query');
    expect(err.status).toBe(400);
    expect(err.message).toBe(
      "line 1, col 24: expected a value after 'status:'\n  level:ERROR AND status:\n                         ^",
    );
    expect(err.details).toMatchObject({ line: 1, column: 24, position: 23 });
    expect(err.details?.['expected']).toContain('a phrase');
  });

  it('points at the opening quote of an unterminated phrase', () => {
    expect(parseError('level:ERROR "oops').message).toBe(
      'line 1, col 13: unterminated phrase: expected a closing \'"\' for this quote\n  level:ERROR "oops\n              ^',
    );
  });

  it('counts lines and columns in multi-line queries', () => {
    const err = parseError('level:ERROR\nAND (service:api\n  OR');
    expect(err.details).toMatchObject({ line: 3, column: 5, position: 33 });
    expect(err.message).toBe("line 3, col 5: expected a clause after 'OR'\n    OR\n      ^");
  });

  it('counts columns in code points, so the caret lines up after emoji', () => {
    const err = parseError('msg:😀😀 AND');
    expect(err.details).toMatchObject({ column: 11, position: 12 });
    expect(err.message.split('\n')[2]).toBe(`  ${' '.repeat(10)}^`);
  });

  it('cuts long lines around the error', () => {
    const query = `${'a '.repeat(3000)}AND`;
    const err = parseError(query);
    const [, excerpt, caret] = err.message.split('\n');
    expect(excerpt!.length).toBeLessThan(100);
    expect(excerpt!.startsWith('  …')).toBe(true);
    expect(caret!.indexOf('^')).toBe(excerpt!.length);
  });

  it('suggests quoting a reserved word used as a value', () => {
    expect(parseError('status:AND').message).toContain(`got 'AND' (quote it to search for the word: "AND")`);
  });

  it('caps nesting depth', () => {
    expect(parseQuery(`${'('.repeat(100)}a${')'.repeat(100)}`)).toMatchObject({ kind: 'term', value: 'a' });
    expect(parseError(`${'('.repeat(101)}a${')'.repeat(101)}`).message).toContain('nests too deeply');
    expect(parseError(`${'NOT '.repeat(200)}a`).message).toContain('more than 100 levels');
    expect(parseError(`${'!'.repeat(10_000)}a`).details).toMatchObject({ position: 100 });
    expect(() => parseQuery('((a))', { maxDepth: 1 })).toThrow(/more than 1 levels/);
  });

  it('rejects queries over the length limit', () => {
    const err = parseError('a'.repeat(70_000));
    expect(err.message).toBe('Cannot parse query: it is 70000 characters long, the limit is 65536');
    expect(parseQuery('a b c', { maxLength: 5 })).not.toBeNull();
    expect(() => parseQuery('a b c d', { maxLength: 5 })).toThrow(/limit is 5/);
  });
});

describe('spans', () => {
  it('cover each node, including field, prefix operators, modifiers and parentheses', () => {
    const q = 'level:ERROR AND -(status:[500 TO *] OR "a b"~2) msg:x^2';
    const node = parseQuery(q)!;
    const slices: string[] = [];
    walk(node, (n) => slices.push(`${n.kind}: ${q.slice(n.span.start, n.span.end)}`));
    expect(slices).toEqual([
      `and: ${q}`,
      'term: level:ERROR',
      'not: -(status:[500 TO *] OR "a b"~2)',
      'or: (status:[500 TO *] OR "a b"~2)',
      'range: status:[500 TO *]',
      'phrase: "a b"~2',
      'term: msg:x^2',
    ]);
  });

  it('give range bounds their own spans', () => {
    const q = '@timestamp:[now-1h TO "2024-01-01"}';
    const node = parseQuery(q);
    if (node?.kind !== 'range') throw new Error('expected a range');
    expect(q.slice(node.lower!.span.start, node.lower!.span.end)).toBe('now-1h');
    expect(q.slice(node.upper!.span.start, node.upper!.span.end)).toBe('"2024-01-01"');
    expect(node.lower!.inclusive).toBe(true);
    expect(node.upper!.inclusive).toBe(false);
  });

  it('are UTF-16 offsets that String.prototype.slice understands', () => {
    const q = '😀 AND café:"naïve 日本"';
    const node = parseQuery(q);
    if (node?.kind !== 'and') throw new Error('expected and');
    expect(node.children.map((c) => q.slice(c.span.start, c.span.end))).toEqual(['😀', 'café:"naïve 日本"']);
  });
});

describe('robustness', () => {
  it('parses a 10 KB query of terms', () => {
    const q = Array.from({ length: 1500 }, (_, i) => `f${i % 7}:v${i}`).join(' OR ');
    const node = parseQuery(q);
    expect(node?.kind).toBe('or');
    if (node?.kind === 'or') expect(node.children).toHaveLength(1500);
  });

  it('reads long unterminated constructs and long runs of operators without hanging', () => {
    for (const q of [
      `"${'a'.repeat(20_000)}`,
      `/${'a\\/'.repeat(5_000)}`,
      `[${'a '.repeat(5_000)}`,
      `${'a AND '.repeat(2_000)}`,
      `${'\\'.repeat(20_001)}`,
      `${':'.repeat(20_000)}`,
    ]) {
      expect(() => parseQuery(q)).toThrow(CairnError);
    }
    expect(parseQuery(`x:${'*?'.repeat(10_000)}x`)?.kind).toBe('term');
  });

  it('throws only CairnError invalid_query on random input', () => {
    const alphabet = [
      'a',
      'B',
      '1',
      ' ',
      ':',
      '"',
      '\\',
      '/',
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      '*',
      '?',
      '~',
      '^',
      '+',
      '-',
      '!',
      '&&',
      '||',
      'AND ',
      'OR ',
      'NOT ',
      'TO',
      '>',
      '<=',
      '=',
      '.',
      '@',
      'é',
      '😀',
      '\n',
      "'",
      ';',
    ];
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      let q = '';
      const len = rand(30);
      for (let j = 0; j < len; j++) q += alphabet[rand(alphabet.length)];
      try {
        const node = parseQuery(q, { defaultOperator: rand(2) ? 'OR' : 'AND' });
        if (node) walk(node, (n) => expect(n.span.end).toBeLessThanOrEqual(q.length));
      } catch (err) {
        expect(err).toBeInstanceOf(CairnError);
        expect((err as CairnError).code).toBe('invalid_query');
        expect((err as CairnError).details?.['position']).toBeLessThanOrEqual(q.length);
      }
    }
  });
});

function walk(node: QueryNode, visit: (n: QueryNode) => void): void {
  visit(node);
  if (node.kind === 'and' || node.kind === 'or') for (const c of node.children) walk(c, visit);
  if (node.kind === 'not') walk(node.child, visit);
}
