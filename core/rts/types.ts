/**
 * The resource types the engine offers, as schemas: each property's type, whether it is required, its default
 * and allowed values, and whether a change can be made in place; and the attributes get_attr may read. The
 * plugins that make the resources (workers/rts/resources/) implement exactly these.
 */

export type PropType = 'string' | 'integer' | 'number' | 'boolean' | 'list' | 'map';

export interface PropSchema {
  type: PropType;
  required?: boolean;
  default?: unknown;
  allowed?: readonly unknown[];
  /** Whether an update may change it in place (otherwise the resource is replaced). */
  update?: boolean;
}

export interface TypeSchema {
  properties: Readonly<Record<string, PropSchema>>;
  attributes: readonly string[];
}

const s = (extra: Partial<PropSchema> = {}): PropSchema => ({ type: 'string', ...extra });
const req = (type: PropType = 'string'): PropSchema => ({ type, required: true });
const b = (d?: boolean): PropSchema => ({ type: 'boolean', default: d, update: true });
const list: PropSchema = { type: 'list' };
const map: PropSchema = { type: 'map', update: true };
const named = { name: s({ update: true }) };

export const RESOURCE_TYPES: Readonly<Record<string, TypeSchema>> = {
  'OS::Neutron::Net': {
    properties: { ...named, admin_state_up: b(true), shared: b(false), port_security_enabled: b(), value_specs: map },
    attributes: ['name', 'status', 'subnets', 'admin_state_up', 'mtu', 'show'],
  },
  'OS::Neutron::Subnet': {
    properties: {
      ...named,
      network: req(),
      cidr: req(),
      ip_version: { type: 'integer', default: 4, allowed: [4] },
      gateway_ip: s(),
      enable_dhcp: b(true),
      dns_nameservers: { type: 'list', update: true },
      allocation_pools: list,
      host_routes: { type: 'list', update: true },
    },
    attributes: ['name', 'network_id', 'cidr', 'gateway_ip', 'allocation_pools', 'ip_version', 'show'],
  },
  'OS::Neutron::Router': {
    properties: { ...named, external_gateway_info: map, admin_state_up: b(true) },
    attributes: ['name', 'status', 'external_gateway_info', 'show'],
  },
  'OS::Neutron::RouterInterface': {
    properties: { router: req(), subnet: req() },
    attributes: ['show'],
  },
  'OS::Neutron::SecurityGroup': {
    properties: { ...named, description: s({ update: true }), rules: list },
    attributes: ['show'],
  },
  'OS::Neutron::SecurityGroupRule': {
    properties: {
      security_group: req(),
      direction: s({ default: 'ingress', allowed: ['ingress', 'egress'] }),
      ethertype: s({ default: 'IPv4', allowed: ['IPv4', 'IPv6'] }),
      protocol: s(),
      port_range_min: { type: 'integer' },
      port_range_max: { type: 'integer' },
      remote_ip_prefix: s(),
      remote_group: s(),
      description: s(),
    },
    attributes: ['show'],
  },
  'OS::Neutron::Port': {
    properties: { ...named, network: req(), fixed_ips: list, security_groups: { type: 'list', update: true } },
    attributes: ['name', 'fixed_ips', 'mac_address', 'network_id', 'status', 'show'],
  },
  'OS::Neutron::FloatingIP': {
    properties: { floating_network: req(), port_id: s({ update: true }), fixed_ip_address: s({ update: true }), value_specs: map },
    attributes: ['floating_ip_address', 'fixed_ip_address', 'port_id', 'floating_network_id', 'show'],
  },
  'OS::Neutron::FloatingIPAssociation': {
    properties: { floatingip_id: req(), port_id: req(), fixed_ip_address: s() },
    attributes: ['show'],
  },
  'OS::Nova::Server': {
    properties: {
      ...named,
      image: s(),
      flavor: { type: 'string', required: true, update: true },
      key_name: s(),
      networks: list,
      security_groups: list,
      user_data: s(),
      metadata: map,
      availability_zone: s(),
      scheduler_hints: { type: 'map' },
      admin_pass: s(),
    },
    attributes: ['name', 'first_address', 'networks', 'addresses', 'accessIPv4', 'instance_name', 'show'],
  },
  'OS::Nova::KeyPair': {
    properties: { name: req(), public_key: s(), save_private_key: { type: 'boolean', default: false } },
    attributes: ['public_key', 'private_key', 'show'],
  },
  'OS::Nova::ServerGroup': {
    properties: { name: s(), policies: { type: 'list', default: ['anti-affinity'] } },
    attributes: ['show'],
  },
  'OS::Cinder::Volume': {
    properties: {
      ...named,
      size: { type: 'integer', update: true },
      description: s({ update: true }),
      volume_type: s(),
      availability_zone: s(),
      image: s(),
      metadata: map,
    },
    attributes: ['size', 'status', 'display_name', 'attachments', 'volume_type', 'show'],
  },
  'OS::Cinder::VolumeAttachment': {
    properties: { instance_uuid: req(), volume_id: req(), mountpoint: s() },
    attributes: ['show'],
  },
  'OS::Heat::RandomString': {
    properties: {
      length: { type: 'integer', default: 32 },
      character_classes: list,
      salt: s(),
    },
    attributes: ['value'],
  },
};
