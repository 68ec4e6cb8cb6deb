/**
 * HOT parameters: their schemas (type, default, label, description, hidden, constraints), and the values a stack
 * gets from the caller, the environment's parameters and parameter_defaults, checked against them with Heat's
 * messages (`Parameter 'size' is invalid: 12 is out of range (min: 1, max: 10)`).
 */
import { HeatError, parameterMissing, validationFailed } from './errors.ts';

export type ParamType = 'string' | 'number' | 'json' | 'comma_delimited_list' | 'boolean';
const TYPES: readonly ParamType[] = ['string', 'number', 'json', 'comma_delimited_list', 'boolean'];
const KEYS = ['type', 'default', 'label', 'description', 'hidden', 'constraints', 'immutable', 'tags'];

/** One constraint of a parameter, with its own description if the template gave one. */
export type Constraint = { description?: string } & (
  | { kind: 'length'; min?: number; max?: number }
  | { kind: 'range'; min?: number; max?: number }
  | { kind: 'allowed_values'; values: unknown[] }
  | { kind: 'allowed_pattern'; pattern: string }
  | { kind: 'custom_constraint'; name: string }
);

export interface ParamSchema {
  name: string;
  type: ParamType;
  default?: unknown;
  label?: string;
  description?: string;
  hidden: boolean;
  immutable: boolean;
  constraints: Constraint[];
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseConstraint(name: string, c: unknown): Constraint {
  if (!isMap(c)) throw validationFailed(['parameters', name], `Invalid parameter constraints for parameter ${name}, expected a list`);
  const description = typeof c.description === 'string' ? c.description : undefined;
  if (isMap(c.length)) return { kind: 'length', min: numberOr(c.length.min), max: numberOr(c.length.max), description };
  if (isMap(c.range)) return { kind: 'range', min: numberOr(c.range.min), max: numberOr(c.range.max), description };
  if (Array.isArray(c.allowed_values)) return { kind: 'allowed_values', values: c.allowed_values, description };
  if (typeof c.allowed_pattern === 'string') return { kind: 'allowed_pattern', pattern: c.allowed_pattern, description };
  if (typeof c.custom_constraint === 'string') return { kind: 'custom_constraint', name: c.custom_constraint, description };
  throw validationFailed(
    ['parameters', name],
    `Invalid key '${Object.keys(c).find((k) => k !== 'description') ?? ''}' for parameter constraints`,
  );
}

const numberOr = (v: unknown) => (v === undefined || v === null ? undefined : Number(v));

/** The schemas of a template's `parameters` section, checked as Heat checks them. */
export function parseParameters(section: unknown): Record<string, ParamSchema> {
  if (section === undefined || section === null) return {};
  if (!isMap(section)) throw validationFailed([], 'Invalid parameters, expected a mapping');
  const out: Record<string, ParamSchema> = {};
  for (const [name, raw] of Object.entries(section)) {
    if (!isMap(raw)) throw validationFailed([], `Invalid parameter, expected a mapping`);
    const bad = Object.keys(raw).find((k) => !KEYS.includes(k));
    if (bad) throw validationFailed([], `Invalid key '${bad}' for parameter (${name})`);
    if (raw.type === undefined) throw validationFailed([], `Missing parameter type for parameter: ${name}`);
    if (!TYPES.includes(raw.type as ParamType)) throw validationFailed([], `Invalid Parameter type "${String(raw.type)}"`);
    const constraints = raw.constraints === undefined ? [] : raw.constraints;
    if (!Array.isArray(constraints)) throw validationFailed([], `Invalid parameter constraints for parameter ${name}, expected a list`);
    out[name] = {
      name,
      type: raw.type as ParamType,
      default: raw.default,
      label: typeof raw.label === 'string' ? raw.label : undefined,
      description: typeof raw.description === 'string' ? raw.description : undefined,
      hidden: raw.hidden === true || raw.hidden === 'true',
      immutable: raw.immutable === true,
      constraints: constraints.map((c) => parseConstraint(name, c)),
    };
    if (raw.default !== undefined) {
      try {
        checkValue(out[name]!, raw.default);
      } catch (e) {
        throw validationFailed([], `Invalid default ${JSON.stringify(raw.default)} (${(e as Error).message})`);
      }
    }
  }
  return out;
}

/** A value coerced to the parameter's type; throws with Heat's wording when it is not one. */
function coerce(p: ParamSchema, value: unknown): unknown {
  switch (p.type) {
    case 'string':
      if (isMap(value) || Array.isArray(value)) throw new Error(`Value must be a string; got ${JSON.stringify(value)}`);
      return String(value);
    case 'number': {
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      if (String(value).trim() === '' || !Number.isFinite(n))
        throw new Error(`Value "${String(value)}" is invalid for data type "number".`);
      return n;
    }
    case 'boolean': {
      const t = String(value).toLowerCase();
      if (['true', 't', 'on', 'y', 'yes', '1'].includes(t)) return true;
      if (['false', 'f', 'off', 'n', 'no', '0'].includes(t)) return false;
      throw new Error(`Unrecognized value "${String(value)}", acceptable values are: true, false.`);
    }
    case 'comma_delimited_list':
      if (Array.isArray(value)) return value.map(String);
      if (typeof value !== 'string') throw new Error(`Value must be a comma-delimited list string: ${String(value)}`);
      return value === '' ? [] : value.split(',').map((s) => s.trim());
    case 'json':
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value);
      } catch (e) {
        throw new Error(`Value must be valid JSON: ${(e as Error).message}`);
      }
  }
}

/** Why a value breaks a constraint, in Heat's words (the constraint's own description when it has one). */
function broken(c: Constraint, value: unknown): string | undefined {
  const why = (() => {
    switch (c.kind) {
      case 'length': {
        const len = Array.isArray(value) || isMap(value) ? Object.keys(value).length : String(value).length;
        const out = (c.min !== undefined && len < c.min) || (c.max !== undefined && len > c.max);
        return out ? `length (${len}) is out of range (min: ${c.min ?? 'None'}, max: ${c.max ?? 'None'})` : undefined;
      }
      case 'range': {
        const n = Number(value);
        const out = (c.min !== undefined && n < c.min) || (c.max !== undefined && n > c.max);
        return out ? `${value} is out of range (min: ${c.min ?? 'None'}, max: ${c.max ?? 'None'})` : undefined;
      }
      case 'allowed_values': {
        const items = Array.isArray(value) ? value : [value];
        const ok = items.every((v) => c.values.some((a) => String(a) === String(v)));
        return ok ? undefined : `${JSON.stringify(value)} is not an allowed value [${c.values.map((a) => JSON.stringify(a)).join(', ')}]`;
      }
      case 'allowed_pattern': {
        const m = new RegExp(`^(?:${c.pattern})`).exec(String(value));
        return m && m[0] === String(value) ? undefined : `"${String(value)}" does not match pattern "${c.pattern}"`;
      }
      case 'custom_constraint':
        return undefined;
    }
  })();
  return why && (c.description ?? why);
}

/** A value for the parameter, coerced and checked against every constraint; throws the reason. */
export function checkValue(p: ParamSchema, value: unknown): unknown {
  const v = coerce(p, value);
  for (const c of p.constraints) {
    const why = broken(c, v);
    if (why) throw new Error(why);
  }
  return v;
}

/** Where a stack's parameter values come from: the caller's, the environment's, and its parameter_defaults. */
export interface ParamSources {
  given?: Record<string, unknown>;
  environment?: Record<string, unknown>;
  defaults?: Record<string, unknown>;
}

/** The value of every parameter: given, else the environment's, else the default; missing or invalid refused. */
export function resolveParameters(schemas: Record<string, ParamSchema>, src: ParamSources): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of Object.values(schemas)) {
    const raw = src.given?.[p.name] ?? src.environment?.[p.name] ?? src.defaults?.[p.name] ?? p.default;
    if (raw === undefined) throw parameterMissing(p.name);
    try {
      out[p.name] = checkValue(p, raw);
    } catch (e) {
      throw new HeatError('StackValidationFailed', `Parameter '${p.name}' is invalid: ${(e as Error).message}`);
    }
  }
  return out;
}

/** A parameter as `template validate` shows it (`Type`, `Default`, `NoEcho`, ...). */
export function validateView(p: ParamSchema) {
  const type = { string: 'String', number: 'Number', json: 'Json', comma_delimited_list: 'CommaDelimitedList', boolean: 'Boolean' }[p.type];
  return {
    Type: type,
    Description: p.description ?? '',
    Label: p.label ?? p.name,
    NoEcho: p.hidden ? 'true' : 'false',
    ...(p.default !== undefined ? { Default: p.hidden ? '******' : p.default } : {}),
    ...Object.fromEntries(p.constraints.flatMap(constraintView)),
  };
}

function constraintView(c: Constraint): [string, unknown][] {
  switch (c.kind) {
    case 'length':
      return [
        ...(c.min !== undefined ? [['MinLength', c.min] as [string, unknown]] : []),
        ...(c.max !== undefined ? [['MaxLength', c.max] as [string, unknown]] : []),
      ];
    case 'range':
      return [
        ...(c.min !== undefined ? [['MinValue', c.min] as [string, unknown]] : []),
        ...(c.max !== undefined ? [['MaxValue', c.max] as [string, unknown]] : []),
      ];
    case 'allowed_values':
      return [['AllowedValues', c.values]];
    case 'allowed_pattern':
      return [['AllowedPattern', c.pattern]];
    default:
      return [];
  }
}
