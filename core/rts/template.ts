/**
 * A Heat Orchestration Template read into its parts: version, description, parameters and their groups,
 * conditions, resources and outputs, every section and keyword checked with Heat's messages. YAML (or JSON, which
 * is YAML) goes through the `yaml` package; heatclient sends the template already parsed, as a JSON object.
 */
import { parse as parseYaml } from 'yaml';
import { HeatError, invalidVersion, validationFailed } from './errors.ts';
import { type ParamSchema, parseParameters } from './parameters.ts';
import { functionsOf, type HotVersion, hotVersion } from './versions.ts';

const SECTIONS = ['heat_template_version', 'description', 'parameter_groups', 'parameters', 'resources', 'outputs', 'conditions'];
const RESOURCE_KEYS = [
  'type',
  'properties',
  'metadata',
  'depends_on',
  'deletion_policy',
  'update_policy',
  'condition',
  'external_id',
  'description',
];
const OUTPUT_KEYS = ['description', 'value', 'condition'];

export type DeletionPolicy = 'Delete' | 'Retain' | 'Snapshot';

/** One resource of a template, before functions are resolved. */
export interface ResourceDef {
  name: string;
  type: string;
  properties: Record<string, unknown>;
  metadata: Record<string, unknown>;
  dependsOn: string[];
  deletionPolicy: DeletionPolicy;
  updatePolicy: Record<string, unknown>;
  /** A condition name, a boolean or a condition expression; absent means always. */
  condition?: unknown;
}

export interface OutputDef {
  name: string;
  description?: string;
  value: unknown;
  condition?: unknown;
}

export interface Template {
  version: HotVersion;
  functions: ReadonlySet<string>;
  description: string;
  parameters: Record<string, ParamSchema>;
  parameterGroups: { label?: string; description?: string; parameters: string[] }[];
  conditions: Record<string, unknown>;
  resources: Record<string, ResourceDef>;
  outputs: Record<string, OutputDef>;
  /** The template as given, for `GET .../template`. */
  raw: Record<string, unknown>;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A template body from an object or a YAML/JSON string; a string that is not a map is refused. */
export function templateObject(input: unknown): Record<string, unknown> {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = parseYaml(input, { version: '1.1' });
    } catch (e) {
      throw new HeatError('StackValidationFailed', `Error parsing template: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (!isMap(value)) throw new HeatError('StackValidationFailed', 'The template is not a JSON object or YAML mapping.');
  return value;
}

/** Reads and checks a template's structure (not yet its parameter values or resource properties). */
export function parseTemplate(input: unknown): Template {
  const raw = templateObject(input);
  if (!('heat_template_version' in raw)) {
    if ('AWSTemplateFormatVersion' in raw || 'HeatTemplateFormatVersion' in raw)
      throw invalidVersion('CloudFormation templates are not offered: write a HOT template (heat_template_version)');
    throw invalidVersion('Template version was not provided');
  }
  const version = hotVersion(raw.heat_template_version);
  for (const k of Object.keys(raw)) {
    if (!SECTIONS.includes(k) || (k === 'conditions' && !version.conditions))
      throw new HeatError('InvalidTemplateSection', `The template section is invalid: ${k}`);
  }
  return {
    version,
    functions: functionsOf(version),
    description: typeof raw.description === 'string' ? raw.description : 'No description',
    parameters: parseParameters(raw.parameters),
    parameterGroups: parameterGroups(raw.parameter_groups),
    conditions: isMap(raw.conditions) ? raw.conditions : {},
    resources: resources(raw.resources),
    outputs: outputs(raw.outputs),
    raw,
  };
}

function parameterGroups(section: unknown): Template['parameterGroups'] {
  if (section === undefined || section === null) return [];
  if (!Array.isArray(section)) throw validationFailed(['parameter_groups'], 'The parameter_groups should be a list.');
  return section.map((g, i) => {
    if (!isMap(g) || !Array.isArray(g.parameters))
      throw validationFailed(['parameter_groups', i], 'Parameters must be provided for each Parameter Group.');
    return { label: g.label as string | undefined, description: g.description as string | undefined, parameters: g.parameters.map(String) };
  });
}

function resources(section: unknown): Record<string, ResourceDef> {
  if (section === undefined || section === null) return {};
  if (!isMap(section)) throw validationFailed([], '"resources" must contain a map of resource maps.');
  const out: Record<string, ResourceDef> = {};
  for (const [name, r] of Object.entries(section).sort(([a], [b]) => a.localeCompare(b))) {
    if (!isMap(r) || !Object.keys(r).length) throw validationFailed([], 'Each resource must contain a type key.');
    const bad = Object.keys(r).find((k) => !RESOURCE_KEYS.includes(k));
    if (bad) throw validationFailed([], `"${bad}" is not a valid keyword inside a resource definition`);
    if (typeof r.type !== 'string') throw validationFailed([], 'Each resource must contain a type key.');
    const at = ['resources', name];
    if (r.properties !== undefined && r.properties !== null && !isMap(r.properties))
      throw validationFailed([...at, 'properties'], '"properties" must be a map');
    if (r.metadata !== undefined && r.metadata !== null && !isMap(r.metadata))
      throw validationFailed([...at, 'metadata'], '"metadata" must be a map');
    const deps = r.depends_on === undefined || r.depends_on === null ? [] : Array.isArray(r.depends_on) ? r.depends_on : [r.depends_on];
    if (!deps.every((d) => typeof d === 'string'))
      throw validationFailed([...at, 'depends_on'], '"depends_on" must be a string or a list of strings');
    const policy = r.deletion_policy ?? 'Delete';
    if (!['Delete', 'Retain', 'Snapshot'].includes(String(policy)))
      throw validationFailed([...at, 'deletion_policy'], `Invalid deletion policy "${String(policy)}"`);
    out[name] = {
      name,
      type: r.type,
      properties: isMap(r.properties) ? r.properties : {},
      metadata: isMap(r.metadata) ? r.metadata : {},
      dependsOn: deps as string[],
      deletionPolicy: policy as DeletionPolicy,
      updatePolicy: isMap(r.update_policy) ? r.update_policy : {},
      condition: r.condition,
    };
  }
  return out;
}

function outputs(section: unknown): Record<string, OutputDef> {
  if (section === undefined || section === null) return {};
  if (!isMap(section)) throw validationFailed([], '"outputs" must contain a map of output maps.');
  const out: Record<string, OutputDef> = {};
  for (const [name, o] of Object.entries(section)) {
    if (!isMap(o) || !('value' in o)) throw validationFailed([], 'Each output must contain a value key.');
    const bad = Object.keys(o).find((k) => !OUTPUT_KEYS.includes(k));
    if (bad) throw validationFailed([], `"${bad}" is not a valid keyword inside a output definition`);
    out[name] = {
      name,
      description: typeof o.description === 'string' ? o.description : undefined,
      value: o.value,
      condition: o.condition,
    };
  }
  return out;
}
