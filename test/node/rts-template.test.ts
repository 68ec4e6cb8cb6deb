import { describe, expect, it } from 'vitest';
import type { HeatError } from '../../core/rts/errors.ts';
import { plan, resolveProperties, stackScope, validatePlan } from '../../core/rts/stack.ts';
import { templateFunctions, templateVersions } from '../../core/rts/versions.ts';

const stack = { id: 'sid', name: 'st1', projectId: 'pid' };
const TEMPLATE = `
heat_template_version: 2016-10-14
description: a net and a server
parameters:
  size: {type: number, default: 1, constraints: [{range: {min: 1, max: 10}}]}
  flavor: {type: string, default: s3.medium.2, hidden: true}
  env: {type: string, default: dev, constraints: [{allowed_values: [dev, prod]}]}
conditions:
  is_prod: {equals: [{get_param: env}, prod]}
resources:
  net: {type: OS::Neutron::Net, properties: {name: {list_join: ['-', [{get_param: 'OS::stack_name'}, net]]}}}
  subnet:
    type: OS::Neutron::Subnet
    properties: {network: {get_resource: net}, cidr: 10.0.0.0/24}
  vol: {type: OS::Cinder::Volume, properties: {size: {get_param: size}}}
  big: {type: OS::Cinder::Volume, condition: is_prod, properties: {size: 100}}
  server:
    type: OS::Nova::Server
    depends_on: subnet
    properties:
      flavor: {get_param: flavor}
      image: img
      name: {str_replace: {template: vm-$n, params: {$n: {get_param: size}}}}
      networks: [{network: {get_resource: net}}]
outputs:
  ip: {value: {get_attr: [server, first_address]}}
  parts: {value: {str_split: [',', 'a,b,c', 1]}}
`;

const fails = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as HeatError;
  }
  throw new Error('did not fail');
};

describe('RTS template layer', () => {
  it('plans resources in dependency order, drops those whose condition is false, resolves functions', () => {
    const p = plan({ template: TEMPLATE, parameters: { size: '3' }, stack });
    expect(p.order).not.toContain('big');
    expect(p.order.indexOf('net')).toBeLessThan(p.order.indexOf('subnet'));
    expect(p.order.indexOf('subnet')).toBeLessThan(p.order.indexOf('server'));
    expect(p.resources.server!.deps).toEqual(['net', 'subnet']);
    const scope = stackScope(p, { id: (n) => `id-${n}`, attr: () => '10.0.0.5' });
    expect(resolveProperties(p, 'net', scope)).toMatchObject({ name: 'st1-net' });
    expect(resolveProperties(p, 'vol', scope)).toMatchObject({ size: 3 });
    expect(resolveProperties(p, 'server', scope)).toMatchObject({ name: 'vm-3', networks: [{ network: 'id-net' }] });
    const prod = plan({ template: TEMPLATE, parameters: { env: 'prod' }, stack });
    expect(prod.order).toContain('big');
  });

  it("refuses parameter values with Heat's constraint messages", () => {
    expect(fails(() => plan({ template: TEMPLATE, parameters: { size: '12' }, stack })).message).toBe(
      "Parameter 'size' is invalid: 12 is out of range (min: 1, max: 10)",
    );
    expect(fails(() => plan({ template: TEMPLATE, parameters: { env: 'qa' }, stack })).message).toBe(
      'Parameter \'env\' is invalid: "qa" is not an allowed value ["dev", "prod"]',
    );
    const needs = 'heat_template_version: 2016-04-08\nparameters: {key: {type: string}}\n';
    expect(fails(() => plan({ template: needs, stack })).message).toBe('The Parameter (key) was not provided.');
  });

  it('refuses bad versions, sections, references, cycles and properties with the path to them', () => {
    expect(fails(() => plan({ template: 'heat_template_version: 2012-01-01\n', stack })).message).toMatch(
      /^The template version is invalid: "heat_template_version: 2012-01-01". "heat_template_version" should be one of: 2013-05-23, /,
    );
    expect(fails(() => plan({ template: 'heat_template_version: 2016-04-08\nconditions: {}\n', stack })).message).toBe(
      'The template section is invalid: conditions',
    );
    const ref =
      'heat_template_version: 2016-04-08\nresources:\n  s: {type: OS::Neutron::Subnet, properties: {network: {get_resource: nope}, cidr: 10.0.0.0/24}}\n';
    expect(fails(() => plan({ template: ref, stack })).message).toBe('The specified reference "nope" (in s) is incorrect.');
    const cycle =
      'heat_template_version: 2016-04-08\nresources:\n  a: {type: OS::Neutron::Net, depends_on: b}\n  b: {type: OS::Neutron::Net, depends_on: a}\n';
    expect(fails(() => plan({ template: cycle, stack })).message).toMatch(/^Circular Dependency Found: a -> b -> a/);
    const prop = 'heat_template_version: 2016-04-08\nresources:\n  v: {type: OS::Cinder::Volume, properties: {size: big, colour: red}}\n';
    expect(fails(() => validatePlan(plan({ template: prop, stack }))).message).toBe(
      'Property error: resources.v.properties: Unknown Property colour',
    );
    const typed = 'heat_template_version: 2016-04-08\nresources:\n  v: {type: OS::Cinder::Volume, properties: {size: big}}\n';
    expect(fails(() => validatePlan(plan({ template: typed, stack }))).message).toBe(
      "Property error: resources.v.properties.size: Value 'big' is not an integer",
    );
    const missing = 'heat_template_version: 2016-04-08\nresources:\n  s: {type: OS::Nova::Server}\n';
    expect(fails(() => validatePlan(plan({ template: missing, stack }))).message).toBe(
      'Property error: resources.s.properties: Property flavor not assigned',
    );
    const unknownType = 'heat_template_version: 2016-04-08\nresources:\n  s: {type: OS::Nova::Servr}\n';
    expect(fails(() => plan({ template: unknownType, stack })).message).toBe(
      'resources.s: The Resource Type (OS::Nova::Servr) could not be found.',
    );
  });

  it('resolves repeat, if, and, or, not, map_merge, and the registry aliases', () => {
    const t = {
      heat_template_version: 'newton',
      parameters: { ports: { type: 'comma_delimited_list', default: '80,443' } },
      conditions: { yes: true, both: { and: ['yes', { not: false }] }, either: { or: [false, 'both'] } },
      resources: {
        g: {
          type: 'My::Group',
          properties: {
            description: { if: ['either', 'on', 'off'] },
            rules: { repeat: { for_each: { '%p%': { get_param: 'ports' } }, template: { port_range_min: '%p%', protocol: 'tcp' } } },
          },
        },
      },
    };
    const p = plan({ template: t, environment: { resource_registry: { 'My::Group': 'OS::Neutron::SecurityGroup' } }, stack });
    expect(p.resources.g!.type).toBe('OS::Neutron::SecurityGroup');
    const props = resolveProperties(p, 'g', stackScope(p, { id: () => 'x', attr: () => 'y' }));
    expect(props).toEqual({
      description: 'on',
      rules: [
        { port_range_min: '80', protocol: 'tcp' },
        { port_range_min: '443', protocol: 'tcp' },
      ],
    });
  });

  it('lists versions by date with their aliases, and the functions each has', () => {
    expect(templateVersions()).toContainEqual({
      version: 'heat_template_version.2016-10-14',
      type: 'hot',
      aliases: ['heat_template_version.newton'],
    });
    const names = (v: string) => templateFunctions(v)!.map((f) => f.functions);
    expect(names('heat_template_version.2016-04-08')).not.toContain('if');
    expect(names('heat_template_version.newton')).toContain('if');
    expect(names('heat_template_version.2015-04-30')).toContain('repeat');
    expect(templateFunctions('heat_template_version.2000-01-01')).toBeUndefined();
  });
});
