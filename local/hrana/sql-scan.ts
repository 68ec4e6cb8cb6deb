// A small SQLite lexer. node:sqlite does not expose sqlite3_bind_parameter_name,
// sqlite3_stmt_readonly or the unparsed tail of sqlite3_prepare, so the few facts the
// protocol needs about a SQL text (statement count, parameter names) are recovered here.

type Token = { kind: 'word' | 'param'; text: string } | { kind: 'semi' | 'other' };

export interface SqlShape {
  /** Number of non-empty statements in the text. */
  statementCount: number;
  /** Parameter name by index - 1 for the first statement (null for anonymous `?`). */
  params: (string | null)[];
  isExplain: boolean;
  /** Best-effort guess; only used by `describe`. */
  isReadonly: boolean;
}

const OTHER: Token = { kind: 'other' };
const SEMI: Token = { kind: 'semi' };
const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT = /[A-Za-z0-9_$\u0080-\uffff]/;
const DML_WORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE']);

/** Lexes `sql` just far enough to count statements and list parameters of the first one. */
export function analyzeSql(sql: string): SqlShape {
  const statements = splitStatements(tokenize(sql));
  const first = statements[0] ?? [];
  const words = first.flatMap((t) => (t.kind === 'word' ? [t.text] : []));
  return {
    statementCount: statements.length,
    params: paramNames(first),
    isExplain: words[0] === 'EXPLAIN',
    isReadonly: guessReadonly(words),
  };
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < sql.length; ) i = lexAt(sql, i, tokens);
  return tokens;
}

/** Lexes the token starting at `i` (pushing it unless it is trivia); returns where the next one starts. */
function lexAt(sql: string, i: number, tokens: Token[]): number {
  const c = sql.charAt(i);
  const next = sql.charAt(i + 1);
  if (/\s/.test(c)) return i + 1;
  if (c === '-' && next === '-') return skipPast(sql, '\n', i + 2);
  if (c === '/' && next === '*') return skipPast(sql, '*/', i + 2);
  if (c === '?') return pushRun(tokens, 'param', sql, i, /[0-9]/);
  if ('$:@'.includes(c) && IDENT.test(next)) return pushRun(tokens, 'param', sql, i, IDENT);
  if (IDENT_START.test(c)) return pushRun(tokens, 'word', sql, i, IDENT);
  tokens.push(c === ';' ? SEMI : OTHER);
  if (c === "'" || c === '"' || c === '`') return skipQuoted(sql, i, c);
  if (c === '[') return skipPast(sql, ']', i + 1);
  return i + 1;
}

function skipPast(sql: string, end: string, from: number): number {
  const at = sql.indexOf(end, from);
  return at < 0 ? sql.length : at + end.length;
}

// SQL escapes a quote inside a quoted token by doubling it.
function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  for (;;) {
    const at = sql.indexOf(quote, i);
    if (at < 0) return sql.length;
    if (sql.charAt(at + 1) !== quote) return at + 1;
    i = at + 2;
  }
}

function pushRun(tokens: Token[], kind: 'word' | 'param', sql: string, start: number, rest: RegExp): number {
  let end = start + 1;
  while (end < sql.length && rest.test(sql.charAt(end))) end++;
  const text = sql.slice(start, end);
  tokens.push({ kind, text: kind === 'word' ? text.toUpperCase() : text });
  return end;
}

// The body of CREATE TRIGGER ... BEGIN ... END has its own semicolons, and finding its
// real end needs a parser (CASE ... END also ends in END), so a trigger is taken to run
// to the end of the text: wrongly rejecting a valid trigger would be worse.
function splitStatements(tokens: Token[]): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    if (token.kind === 'semi' && !isTrigger(current)) {
      if (current.length > 0) statements.push(current);
      current = [];
    } else {
      current.push(token);
    }
  }
  if (current.length > 0) statements.push(current);
  return statements;
}

function isTrigger(tokens: Token[]): boolean {
  const words = tokens.slice(0, 3).map((t) => (t.kind === 'word' ? t.text : ''));
  return words[0] === 'CREATE' && (words[1] === 'TRIGGER' || (/^TEMP(ORARY)?$/.test(words[1] ?? '') && words[2] === 'TRIGGER'));
}

// Mirrors SQLite's numbering: `?` takes the next free index, `?NNN` takes NNN, and a
// named parameter takes the next free index on its first occurrence only.
function paramNames(tokens: Token[]): (string | null)[] {
  const names: (string | null)[] = [];
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'param') continue;
    if (t.text === '?') names.push(null);
    else if (t.text.startsWith('?')) {
      const index = Number(t.text.slice(1));
      while (names.length < index) names.push(null);
      names[index - 1] = t.text;
    } else if (!seen.has(t.text)) {
      seen.add(t.text);
      names.push(t.text);
    }
  }
  return names;
}

function guessReadonly(words: string[]): boolean {
  const first = words[0];
  if (first === 'SELECT' || first === 'VALUES' || first === 'EXPLAIN') return true;
  return first === 'WITH' && !words.some((w) => DML_WORDS.has(w));
}
