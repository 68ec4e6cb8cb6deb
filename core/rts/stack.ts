/**
 * From a template, its environment and the caller's parameters to what a stack will make: the parameter values
 * (with Heat's pseudo parameters), the conditions, the resources that exist under them with their types
 * (through the environment's resource_registry), the dependency graph in creation order, and each resource's
 * properties checked against its type's schema once they can be resolved.
 */
import { HeatError, invalidReference, parameterMissing, validationFailed } from './errors.ts';
import { callOf, isKnown, resolve, type Scope, UNKNOWN } from './functions.ts';
import { resolveParameters } from './parameters.ts';
import { parseTemplate, type ResourceDef, type Template, templateObject } from './template.ts';
import { type PropSchema, RESOURCE_TYPES, type TypeSchema } from './types.ts';

export interface Environment {
  parameters: Record<string, unknown>;
  parameter_defaults: Record<string, unknown>;
  resource_registry: Record<string, unknown>;
}

export interface StackInput {
  template: unknown;
  environment?: unknown;
  parameters?: Record<string, unknown>;
  files?: Record<string, string>;
  stack: { id: string; name: string; projectId: string };
}

export interface PlannedResource {
  def: ResourceDef;
  /** The type after the resource_registry (an alias names a built-in type). */
  type: string;
  schema: TypeSchema;
  /** Resources it needs first: depends_on, get_resource and get_attr. */
  deps: string[];
}

export interface Plan {
  template: Template;
  environment: Environment;
  params: Record<string, unknown>;
  conditions: Record<string, boolean>;
  resources: Record<string, PlannedResource>;
  /** Creation order: every resource after all it depends on. */
  order: string[];
  files: Record<string, string>;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An environment from the request (an object or YAML text), its sections checked. */
export function parseEnvironment(input: unknown): Environment {
  const env = input === undefined || input === null ? {} : typeof input === 'string' ? templateObject(input) : input;
  if (!isMap(env)) throw new HeatError('StackValidationFailed', 'The environment is not a valid YAML mapping data type.');
  const bad = Object.keys(env).find(
    (k) => !['parameters', 'parameter_defaults', 'resource_registry', 'event_sinks', 'encrypted_param_names'].includes(k),
  );
  if (bad) throw new HeatError('StackValidationFailed', `environment has wrong section "${bad}"`);
  const section = (k: string) => (isMap(env[k]) ? (env[k] as Record<string, unknown>) : {});
  return {
    parameters: section('parameters'),
    parameter_defaults: section('parameter_defaults'),
    resource_registry: section('resource_registry'),
  };
}

/** The built-in type a template type stands for, through the registry's aliases. */
function typeOf(name: string, type: string, env: Environment): { type: string; schema: TypeSchema } {
  let t = type;
  for (let hops = 0; hops < 5 && typeof env.resource_registry[t] === 'string'; hops++) {
    const target = env.resource_registry[t] as string;
    if (/\.(ya?ml|template)$/.test(target) || target.includes('/'))
      throw validationFailed(['resources', name], `Nested templates (${target} for ${t}) are not offered yet.`);
    t = target;
  }
  const schema = RESOURCE_TYPES[t];
  if (!schema) throw validationFailed(['resources', name], `The Resource Type (${type}) could not be found.`);
  return { type: t, schema };
}

/** A scope for conditions and parameters only: no resource may be named there. */
function staticScope(
  t: Template,
  params: Record<string, unknown>,
  condition: (name: string) => boolean,
  files: Record<string, string>,
): Scope {
  return {
    functions: t.functions,
    param: (n) => {
      if (!Object.hasOwn(params, n)) throw parameterMissing(n);
      return params[n];
    },
    resource: () => UNKNOWN,
    attr: () => UNKNOWN,
    condition,
    files,
  };
}

/** Each condition's value; a condition may name another condition. */
function evaluateConditions(t: Template, params: Record<string, unknown>, files: Record<string, string>): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  const visiting = new Set<string>();
  const value = (name: string): boolean => {
    if (Object.hasOwn(out, name)) return out[name]!;
    if (!Object.hasOwn(t.conditions, name)) throw new HeatError('StackValidationFailed', `Invalid condition "${name}"`);
    if (visiting.has(name)) throw new HeatError('StackValidationFailed', `Circular definition for condition "${name}"`);
    visiting.add(name);
    const raw = t.conditions[name];
    const v = typeof raw === 'string' ? value(raw) : resolve(raw, scope, ['conditions', name]);
    out[name] = v === true || v === 'true';
    return out[name]!;
  };
  const scope = staticScope(t, params, value, files);
  for (const name of Object.keys(t.conditions)) value(name);
  return out;
}

/** A condition lookup over evaluated conditions. */
const known = (conditions: Record<string, boolean>) => (n: string) => {
  if (!Object.hasOwn(conditions, n)) throw new HeatError('StackValidationFailed', `Invalid condition "${n}"`);
  return conditions[n]!;
};

/** Whether a resource's or output's `condition` holds. */
function holds(cond: unknown, conditions: Record<string, boolean>, scope: Scope, path: (string | number)[]): boolean {
  if (cond === undefined || cond === null) return true;
  if (typeof cond === 'boolean') return cond;
  if (typeof cond === 'string') {
    if (!Object.hasOwn(conditions, cond)) throw validationFailed(path, `Invalid condition "${cond}"`);
    return conditions[cond]!;
  }
  return resolve(cond, scope, path) === true;
}

/** Reads a stack's template and environment and plans its resources; refuses what Heat refuses, with its message. */
export function plan(input: StackInput): Plan {
  const template = parseTemplate(input.template);
  const environment = parseEnvironment(input.environment);
  const files = input.files ?? {};
  const given = resolveParameters(template.parameters, {
    given: input.parameters,
    environment: environment.parameters,
    defaults: environment.parameter_defaults,
  });
  const params = { ...given, 'OS::stack_id': input.stack.id, 'OS::stack_name': input.stack.name, 'OS::project_id': input.stack.projectId };
  const conditions = evaluateConditions(template, params, files);
  const scope = staticScope(template, params, known(conditions), files);
  const resources: Record<string, PlannedResource> = {};
  for (const def of Object.values(template.resources)) {
    if (!holds(def.condition, conditions, scope, ['resources', def.name, 'condition'])) continue;
    resources[def.name] = { def, ...typeOf(def.name, def.type, environment), deps: [] };
  }
  for (const r of Object.values(resources)) r.deps = dependencies(template, r.def, resources);
  for (const o of Object.values(template.outputs)) {
    for (const ref of refsOf(template, o.value)) if (!resources[ref]) throw invalidReference(ref, o.name);
  }
  return { template, environment, params, conditions, resources, order: creationOrder(resources), files };
}

const refsOf = (t: Template, snippet: unknown): Set<string> => {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    const call = callOf(v, t.functions);
    if (call?.fn === 'get_resource' && typeof call.args === 'string') out.add(call.args);
    else if (call?.fn === 'get_attr' && Array.isArray(call.args) && typeof call.args[0] === 'string') {
      out.add(call.args[0]);
      call.args.slice(1).forEach(visit);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (isMap(v)) Object.values(v).forEach(visit);
  };
  visit(snippet);
  return out;
};

/** What a resource needs first; a reference to a resource the stack lacks is refused as Heat refuses it. */
function dependencies(t: Template, def: ResourceDef, resources: Record<string, PlannedResource>): string[] {
  const deps = new Set<string>();
  for (const d of def.dependsOn) {
    if (!resources[d]) throw invalidReference(d, def.name);
    deps.add(d);
  }
  for (const ref of refsOf(t, [def.properties, def.metadata])) {
    if (!resources[ref]) throw invalidReference(ref, def.name);
    deps.add(ref);
  }
  return [...deps].sort();
}

/** A topological order of the resources (names sorted among equals); a cycle is refused. */
function creationOrder(resources: Record<string, PlannedResource>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = trail.slice(trail.indexOf(name));
      throw new HeatError('CircularDependencyException', `Circular Dependency Found: ${[...cycle, name].join(' -> ')}`);
    }
    state.set(name, 'visiting');
    for (const d of resources[name]!.deps) visit(d, [...trail, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(resources).sort()) visit(name, []);
  return order;
}

/** The resolution scope of a stack whose resources' ids and attributes `lookup` answers (UNKNOWN when not yet made). */
export function stackScope(p: Plan, lookup: { id(name: string): unknown; attr(name: string, attribute: string): unknown }): Scope {
  const base = staticScope(p.template, p.params, known(p.conditions), p.files);
  return {
    ...base,
    resource: (n) => {
      if (!p.resources[n]) throw invalidReference(n, 'resources');
      return lookup.id(n);
    },
    attr: (n, a) => {
      const r = p.resources[n];
      if (!r) throw invalidReference(n, 'resources');
      if (!r.schema.attributes.includes(a))
        throw new HeatError('InvalidTemplateAttribute', `The Referenced Attribute (${n} ${a}) is incorrect.`);
      return lookup.attr(n, a);
    },
  };
}

/** A resource's properties resolved and checked against its schema; unknown values are checked once known. */
export function resolveProperties(p: Plan, name: string, scope: Scope): Record<string, unknown> {
  const r = p.resources[name]!;
  const at = ['resources', name, 'properties'];
  const props = resolve(r.def.properties, scope, at) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(props))
    if (!r.schema.properties[key]) throw validationFailed(at, `Unknown Property ${key}`, 'Property error');
  for (const [key, schema] of Object.entries(r.schema.properties)) {
    const v = props[key] ?? schema.default;
    if (v === undefined || v === null) {
      if (schema.required) throw validationFailed(at, `Property ${key} not assigned`, 'Property error');
      continue;
    }
    out[key] = isKnown(v) ? checkProperty(schema, v, [...at, key]) : v;
  }
  return out;
}

/** A property value coerced to its type and checked against its allowed values, with Heat's wording. */
function checkProperty(schema: PropSchema, v: unknown, path: (string | number)[]): unknown {
  const fail = (m: string) => validationFailed(path, m, 'Property error');
  let value = v;
  switch (schema.type) {
    case 'string':
      if (isMap(v) || Array.isArray(v)) throw fail(`Value must be a string; got ${JSON.stringify(v)}`);
      value = String(v);
      break;
    case 'integer':
      if (!/^-?\d+$/.test(String(v).trim())) throw fail(`Value '${String(v)}' is not an integer`);
      value = Number(v);
      break;
    case 'number':
      if (!Number.isFinite(Number(v)) || String(v).trim() === '') throw fail(`Value '${String(v)}' is not a number`);
      value = Number(v);
      break;
    case 'boolean': {
      const t = String(v).toLowerCase();
      if (!['true', 'false'].includes(t)) throw fail(`"${String(v)}" is not a valid boolean`);
      value = t === 'true';
      break;
    }
    case 'list':
      if (!Array.isArray(v)) throw fail(`"${typeof v === 'string' ? v : JSON.stringify(v)}" is not a list`);
      break;
    case 'map':
      if (!isMap(v)) throw fail(`"${typeof v === 'string' ? v : JSON.stringify(v)}" is not a map`);
      break;
  }
  if (schema.allowed && !schema.allowed.includes(value))
    throw fail(`${JSON.stringify(value)} is not an allowed value [${schema.allowed.map((a) => JSON.stringify(a)).join(', ')}]`);
  return value;
}

/** Checks a stack as `template validate` and create do before anything is made: every resource's known properties. */
export function validatePlan(p: Plan): void {
  const scope = stackScope(p, { id: () => UNKNOWN, attr: () => UNKNOWN });
  for (const name of p.order) resolveProperties(p, name, scope);
}
