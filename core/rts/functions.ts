/**
 * HOT's intrinsic functions: a snippet resolved against a scope that knows the parameters, the resources' ids
 * and attributes, the conditions and the files. Before the resources exist (validation, planning) their ids and
 * attributes are UNKNOWN, and whatever depends on them stays UNKNOWN rather than being guessed.
 */
import { HeatError, validationFailed } from './errors.ts';

/** A value that is only known once a resource exists. */
export const UNKNOWN: unique symbol = Symbol('unknown until the resource exists');

/** What a snippet is resolved against. */
export interface Scope {
  /** The functions the template's version offers. */
  functions: ReadonlySet<string>;
  param(name: string): unknown;
  /** A resource's physical id (UNKNOWN before it exists); throws for a name the template lacks. */
  resource(name: string): unknown;
  /** A resource's attribute (UNKNOWN before it exists). */
  attr(name: string, attribute: string): unknown;
  condition(name: string): boolean;
  files: Readonly<Record<string, string>>;
}

type Path = (string | number)[];
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The function a snippet calls, if it is a one-key map whose key is a function of the version. */
export function callOf(snippet: unknown, functions: ReadonlySet<string>): { fn: string; args: unknown } | undefined {
  if (!isMap(snippet)) return undefined;
  const keys = Object.keys(snippet);
  return keys.length === 1 && functions.has(keys[0]!) ? { fn: keys[0]!, args: snippet[keys[0]!] } : undefined;
}

/** Whether a resolved value holds anything still unknown. */
export function isKnown(v: unknown): boolean {
  if (v === UNKNOWN) return false;
  if (Array.isArray(v)) return v.every(isKnown);
  if (isMap(v)) return Object.values(v).every(isKnown);
  return true;
}

/** Resolves every function call in a snippet; `path` names where it sits, for Heat's error messages. */
export function resolve(snippet: unknown, scope: Scope, path: Path): unknown {
  const call = callOf(snippet, scope.functions);
  if (call) {
    try {
      return apply(call.fn, call.args, scope, path);
    } catch (e) {
      if (e instanceof HeatError) throw e;
      throw validationFailed(path, (e as Error).message);
    }
  }
  if (Array.isArray(snippet)) return snippet.map((x, i) => resolve(x, scope, [...path, i]));
  if (isMap(snippet)) return Object.fromEntries(Object.entries(snippet).map(([k, v]) => [k, resolve(v, scope, [...path, k])]));
  return snippet;
}

/** Follows a path of keys and indexes into a value (`get_param: [p, key, 0]`, `get_attr: [r, a, key]`). */
function walk(value: unknown, keys: unknown[], fn: string): unknown {
  let v = value;
  for (const k of keys) {
    if (v === UNKNOWN) return UNKNOWN;
    if (Array.isArray(v) && Number.isInteger(Number(k))) v = v[Number(k)];
    else if (isMap(v) && typeof k === 'string') v = v[k];
    else throw new Error(`"${fn}" can't traverse path`);
  }
  return v;
}

const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));

function apply(fn: string, raw: unknown, scope: Scope, path: Path): unknown {
  const args = resolve(raw, scope, [...path, fn]);
  switch (fn) {
    case 'get_param': {
      const [name, ...keys] = Array.isArray(args) ? args : [args];
      if (typeof name !== 'string') throw new Error('Parameter name in "get_param" must be string');
      return walk(scope.param(name), keys, fn);
    }
    case 'get_resource':
      if (typeof args !== 'string') throw new Error('Argument to "get_resource" must be a string');
      return scope.resource(args);
    case 'get_attr': {
      if (!Array.isArray(args) || args.length < 2 || typeof args[0] !== 'string' || typeof args[1] !== 'string')
        throw new Error('Arguments to "get_attr" must be of the form [resource_name, attribute, (path), ...]');
      return walk(scope.attr(args[0], args[1]), args.slice(2), fn);
    }
    case 'get_file':
      if (typeof args !== 'string') throw new Error('Argument to "get_file" must be a string');
      if (!Object.hasOwn(scope.files, args)) throw new Error(`No content found in the "files" section for get_file path: ${args}`);
      return scope.files[args];
    default:
      return combine(fn, args, scope);
  }
}

/** The functions that combine values already resolved. */
function combine(fn: string, args: unknown, scope: Scope): unknown {
  if (!isKnown(args) && !['if'].includes(fn)) return UNKNOWN;
  switch (fn) {
    case 'list_join': {
      if (!Array.isArray(args) || args.length < 2 || typeof args[0] !== 'string')
        throw new Error('Incorrect arguments to "list_join" should be: list_join: [delimiter, [item, ...]]');
      const lists = args.slice(1);
      if (!lists.every(Array.isArray)) throw new Error('"list_join" must operate on a list');
      return (lists as unknown[][]).flat().map(text).join(args[0]);
    }
    case 'str_replace':
      return strReplace(args);
    case 'str_split': {
      if (!Array.isArray(args) || args.length < 2 || typeof args[0] !== 'string' || typeof args[1] !== 'string')
        throw new Error('Incorrect arguments to "str_split" should be: str_split: [delimiter, string, (index)]');
      const parts = args[1].split(args[0]);
      if (args[2] === undefined) return parts;
      const i = Number(args[2]);
      if (!Number.isInteger(i) || i < 0 || i >= parts.length)
        throw new Error(`Incorrect index to "str_split" should be between 0 and ${parts.length - 1}`);
      return parts[i];
    }
    case 'repeat':
      return repeat(args);
    case 'map_merge':
      if (!Array.isArray(args) || !args.every(isMap)) throw new Error('Incorrect arguments: Items to merge must be maps.');
      return Object.assign({}, ...args);
    case 'equals':
      if (!Array.isArray(args) || args.length !== 2) throw new Error('Arguments to "equals" must be of the form: [value_1, value_2]');
      return JSON.stringify(args[0]) === JSON.stringify(args[1]);
    case 'not':
      return !truth(args, scope, 'not');
    case 'and':
    case 'or': {
      if (!Array.isArray(args) || args.length < 2)
        throw new Error(`Arguments to "${fn}" must be of the form: [condition_1, condition_2, ...]`);
      const values = args.map((a) => truth(a, scope, fn));
      return fn === 'and' ? values.every(Boolean) : values.some(Boolean);
    }
    case 'if': {
      if (!Array.isArray(args) || args.length !== 3)
        throw new Error('Arguments to "if" must be of the form: [condition_name, value_if_true, value_if_false]');
      return truth(args[0], scope, 'if') ? args[1] : args[2];
    }
  }
  throw new Error(`The function "${fn}" is not supported`);
}

/** A condition argument: a boolean, or the name of a condition of the template. */
function truth(v: unknown, scope: Scope, fn: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (['true', 'false'].includes(v.toLowerCase())) return v.toLowerCase() === 'true';
    return scope.condition(v);
  }
  throw new Error(`Invalid condition in "${fn}": ${JSON.stringify(v)}`);
}

function strReplace(args: unknown): string {
  if (!isMap(args) || !('template' in args) || !('params' in args))
    throw new Error('"str_replace" syntax should be str_replace:\n  template: <template string>\n  params: <parameter mappings>');
  if (typeof args.template !== 'string') throw new Error('"str_replace" template must be a string');
  if (!isMap(args.params)) throw new Error('"str_replace" params must be a map');
  const params = args.params;
  // Longer placeholders first, so that `$var1` is never replaced inside `$var10`.
  const keys = Object.keys(params).sort((a, b) => b.length - a.length);
  if (!keys.length) return args.template;
  const pattern = new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return args.template.replace(pattern, (k) => text(params[k]));
}

function repeat(args: unknown): unknown[] {
  if (!isMap(args) || !isMap(args.for_each) || !('template' in args))
    throw new Error('"repeat" syntax should be {"repeat": {"for_each": {"<var>": ["a", "b"]}, "template": "<value>"}}');
  const each = Object.entries(args.for_each);
  if (!each.every(([, v]) => Array.isArray(v))) throw new Error('The values of the "for_each" argument to "repeat" must be lists');
  let combos: Record<string, unknown>[] = [{}];
  for (const [k, values] of each) combos = combos.flatMap((c) => (values as unknown[]).map((v) => ({ ...c, [k]: v })));
  return combos.map((c) => substitute(args.template, c));
}

/** A repeat template with each for_each placeholder replaced, in strings and in map keys. */
function substitute(t: unknown, vars: Record<string, unknown>): unknown {
  if (typeof t === 'string')
    return Object.hasOwn(vars, t) ? vars[t] : Object.entries(vars).reduce((s, [k, v]) => s.split(k).join(text(v)), t);
  if (Array.isArray(t)) return t.map((x) => substitute(x, vars));
  if (isMap(t)) return Object.fromEntries(Object.entries(t).map(([k, v]) => [substitute(k, vars) as string, substitute(v, vars)]));
  return t;
}

/** The resources a snippet refers to (get_resource, get_attr), with the function that names each. */
export function references(snippet: unknown, functions: ReadonlySet<string>, out = new Set<string>()): Set<string> {
  const call = callOf(snippet, functions);
  if (call?.fn === 'get_resource' && typeof call.args === 'string') out.add(call.args);
  else if (call?.fn === 'get_attr' && Array.isArray(call.args) && typeof call.args[0] === 'string') {
    out.add(call.args[0]);
    references(call.args.slice(1), functions, out);
  } else if (Array.isArray(snippet)) for (const x of snippet) references(x, functions, out);
  else if (isMap(snippet)) for (const v of Object.values(snippet)) references(v, functions, out);
  return out;
}
