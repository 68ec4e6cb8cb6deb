/**
 * The policy actions of VPC (Neutron and the native VPC API) and its Elastic IPs (the `eip` actions): each with what it allows, its scope and the operations (method,
 * path) it covers. Routes name them in `act()`; the route-table test checks the operations against the routes.
 */
import { defineActions } from '../auth/actions.ts';

export const vpcActions = defineActions('vpc', {
  'networks:list': {
    description: 'List networks',
    scope: 'project',
    operations: ['GET /vpc/v2.0/networks'],
  },
  'networks:get': {
    description: 'Show networks',
    scope: 'project',
    operations: ['GET /vpc/v2.0/networks/{id}'],
  },
  'networks:create': {
    description: 'Create networks',
    scope: 'project',
    operations: ['POST /vpc/v2.0/networks'],
  },
  'networks:update': {
    description: 'Change networks',
    scope: 'project',
    operations: ['PUT /vpc/v2.0/networks/{id}'],
  },
  'networks:delete': {
    description: 'Delete networks',
    scope: 'project',
    operations: ['DELETE /vpc/v2.0/networks/{id}'],
  },
  'subnets:list': {
    description: 'List subnets',
    scope: 'project',
    operations: ['GET /vpc/v2.0/subnets', 'GET /vpc/v1/{project_id}/subnets', 'GET /console/vpc/vpcs/{vpc_id}/subnets/rows'],
  },
  'subnets:get': {
    description: 'Show subnets',
    scope: 'project',
    operations: ['GET /vpc/v2.0/subnets/{id}', 'GET /vpc/v1/{project_id}/subnets/{subnet_id}'],
  },
  'subnets:create': {
    description: 'Create subnets',
    scope: 'project',
    operations: ['POST /vpc/v2.0/subnets', 'POST /vpc/v1/{project_id}/subnets', 'POST /console/vpc/vpcs/{vpc_id}/subnets'],
  },
  'subnets:update': {
    description: 'Change subnets',
    scope: 'project',
    operations: ['PUT /vpc/v2.0/subnets/{id}', 'PUT /vpc/v1/{project_id}/vpcs/{vpc_id}/subnets/{subnet_id}'],
  },
  'subnets:delete': {
    description: 'Delete subnets',
    scope: 'project',
    operations: [
      'DELETE /vpc/v2.0/subnets/{id}',
      'DELETE /vpc/v1/{project_id}/vpcs/{vpc_id}/subnets/{subnet_id}',
      'POST /console/vpc/vpcs/{vpc_id}/subnets/{subnet_id}/delete',
    ],
  },
  'ports:list': {
    description: 'List ports',
    scope: 'project',
    operations: ['GET /vpc/v2.0/ports'],
  },
  'ports:get': {
    description: 'Show ports',
    scope: 'project',
    operations: ['GET /vpc/v2.0/ports/{id}'],
  },
  'ports:create': {
    description: 'Create ports',
    scope: 'project',
    operations: ['POST /vpc/v2.0/ports'],
  },
  'ports:update': {
    description: 'Change ports',
    scope: 'project',
    operations: ['PUT /vpc/v2.0/ports/{id}'],
  },
  'ports:delete': {
    description: 'Delete ports',
    scope: 'project',
    operations: ['DELETE /vpc/v2.0/ports/{id}'],
  },
  'routers:list': {
    description: 'List routers',
    scope: 'project',
    operations: ['GET /vpc/v2.0/routers'],
  },
  'routers:get': {
    description: 'Show routers',
    scope: 'project',
    operations: ['GET /vpc/v2.0/routers/{id}'],
  },
  'routers:create': {
    description: 'Create routers',
    scope: 'project',
    operations: ['POST /vpc/v2.0/routers'],
  },
  'routers:update': {
    description: 'Change routers',
    scope: 'project',
    operations: [
      'PUT /vpc/v2.0/routers/{id}',
      'PUT /vpc/v2.0/routers/{id}/add_router_interface',
      'PUT /vpc/v2.0/routers/{id}/remove_router_interface',
    ],
  },
  'routers:delete': {
    description: 'Delete routers',
    scope: 'project',
    operations: ['DELETE /vpc/v2.0/routers/{id}'],
  },
  'securityGroups:list': {
    description: 'List security groups',
    scope: 'project',
    operations: [
      'GET /vpc/v2.0/security-groups',
      'GET /vpc/v2.0/security-group-rules',
      'GET /vpc/v1/{project_id}/security-groups',
      'GET /vpc/v1/{project_id}/security-group-rules',
      'GET /console/vpc/security-groups',
    ],
  },
  'securityGroups:get': {
    description: 'Show security groups',
    scope: 'project',
    operations: [
      'GET /vpc/v2.0/security-groups/{id}',
      'GET /vpc/v2.0/security-group-rules/{id}',
      'GET /vpc/v1/{project_id}/security-groups/{security_group_id}',
      'GET /vpc/v1/{project_id}/security-group-rules/{rule_id}',
      'GET /console/vpc/security-groups/{security_group_id}',
    ],
  },
  'securityGroups:create': {
    description: 'Create security groups',
    scope: 'project',
    operations: ['POST /vpc/v2.0/security-groups', 'POST /vpc/v1/{project_id}/security-groups', 'POST /console/vpc/security-groups'],
  },
  'securityGroups:update': {
    description: 'Change security groups',
    scope: 'project',
    operations: [
      'PUT /vpc/v2.0/security-groups/{id}',
      'POST /vpc/v2.0/security-group-rules',
      'DELETE /vpc/v2.0/security-group-rules/{id}',
      'POST /vpc/v1/{project_id}/security-group-rules',
      'DELETE /vpc/v1/{project_id}/security-group-rules/{rule_id}',
      'POST /console/vpc/security-groups/{security_group_id}/rules',
      'POST /console/vpc/security-groups/{security_group_id}/rules/{rule_id}/delete',
    ],
  },
  'securityGroups:delete': {
    description: 'Delete security groups',
    scope: 'project',
    operations: [
      'DELETE /vpc/v2.0/security-groups/{id}',
      'DELETE /vpc/v1/{project_id}/security-groups/{security_group_id}',
      'POST /console/vpc/security-groups/{security_group_id}/delete',
    ],
  },
  'quotas:get': {
    description: 'Show quotas',
    scope: 'project',
    operations: [
      'GET /vpc/v2.0/quotas/{project_id}',
      'GET /vpc/v2.0/quotas/{project_id}/details',
      'GET /vpc/v2.0/quotas/{project_id}/default',
    ],
  },
  'quotas:update': {
    description: 'Change quotas',
    scope: 'operator',
    refusal: 'Only the cloud operator changes quotas.',
    operations: ['PUT /vpc/v2.0/quotas/{project_id}'],
  },
  'peerings:list': {
    description: 'List peerings',
    scope: 'project',
    operations: ['GET /vpc/v2.0/vpc/peerings', 'GET /console/vpc/peerings'],
  },
  'peerings:get': {
    description: 'Show peerings',
    scope: 'project',
    operations: ['GET /vpc/v2.0/vpc/peerings/{id}'],
  },
  'peerings:create': {
    description: 'Create peerings',
    scope: 'project',
    operations: ['POST /vpc/v2.0/vpc/peerings', 'POST /console/vpc/peerings'],
  },
  'peerings:update': {
    description: 'Change peerings',
    scope: 'project',
    operations: [
      'PUT /vpc/v2.0/vpc/peerings/{id}',
      'PUT /vpc/v2.0/vpc/peerings/{id}/accept',
      'PUT /vpc/v2.0/vpc/peerings/{id}/reject',
      'POST /console/vpc/peerings/{id}/accept',
      'POST /console/vpc/peerings/{id}/reject',
    ],
  },
  'peerings:delete': {
    description: 'Delete peerings',
    scope: 'project',
    operations: ['DELETE /vpc/v2.0/vpc/peerings/{id}', 'POST /console/vpc/peerings/{id}/delete'],
  },
  'routes:list': {
    description: 'List routes',
    scope: 'project',
    operations: ['GET /vpc/v2.0/vpc/routes'],
  },
  'routes:get': {
    description: 'Show routes',
    scope: 'project',
    operations: ['GET /vpc/v2.0/vpc/routes/{id}'],
  },
  'routes:create': {
    description: 'Create routes',
    scope: 'project',
    operations: ['POST /vpc/v2.0/vpc/routes'],
  },
  'routes:delete': {
    description: 'Delete routes',
    scope: 'project',
    operations: ['DELETE /vpc/v2.0/vpc/routes/{id}'],
  },
  'vpn:list': {
    description: 'List VPNaaS objects (IKE and IPsec policies, VPN services, endpoint groups, site connections)',
    scope: 'project',
    operations: [
      'GET /vpc/v2.0/vpn/ikepolicies',
      'GET /vpc/v2.0/vpn/ipsecpolicies',
      'GET /vpc/v2.0/vpn/vpnservices',
      'GET /vpc/v2.0/vpn/endpoint-groups',
      'GET /vpc/v2.0/vpn/ipsec-site-connections',
      'GET /console/vpc/vpn',
      'GET /console/vpc/vpn/tables',
    ],
  },
  'vpn:get': {
    description: 'Show VPNaaS objects (IKE and IPsec policies, VPN services, endpoint groups, site connections)',
    scope: 'project',
    operations: [
      'GET /vpc/v2.0/vpn/ikepolicies/{id}',
      'GET /vpc/v2.0/vpn/ipsecpolicies/{id}',
      'GET /vpc/v2.0/vpn/vpnservices/{id}',
      'GET /vpc/v2.0/vpn/endpoint-groups/{id}',
      'GET /vpc/v2.0/vpn/ipsec-site-connections/{id}',
    ],
  },
  'vpn:create': {
    description: 'Create VPNaaS objects (IKE and IPsec policies, VPN services, endpoint groups, site connections)',
    scope: 'project',
    operations: [
      'POST /vpc/v2.0/vpn/ikepolicies',
      'POST /vpc/v2.0/vpn/ipsecpolicies',
      'POST /vpc/v2.0/vpn/vpnservices',
      'POST /vpc/v2.0/vpn/endpoint-groups',
      'POST /vpc/v2.0/vpn/ipsec-site-connections',
      'POST /console/vpc/vpn/ikepolicies',
      'POST /console/vpc/vpn/ipsecpolicies',
      'POST /console/vpc/vpn/vpnservices',
      'POST /console/vpc/vpn/ipsec-site-connections',
    ],
  },
  'vpn:update': {
    description: 'Change VPNaaS objects (IKE and IPsec policies, VPN services, endpoint groups, site connections)',
    scope: 'project',
    operations: [
      'PUT /vpc/v2.0/vpn/ikepolicies/{id}',
      'PUT /vpc/v2.0/vpn/ipsecpolicies/{id}',
      'PUT /vpc/v2.0/vpn/vpnservices/{id}',
      'PUT /vpc/v2.0/vpn/endpoint-groups/{id}',
      'PUT /vpc/v2.0/vpn/ipsec-site-connections/{id}',
    ],
  },
  'vpn:delete': {
    description: 'Delete VPNaaS objects (IKE and IPsec policies, VPN services, endpoint groups, site connections)',
    scope: 'project',
    operations: [
      'DELETE /vpc/v2.0/vpn/ikepolicies/{id}',
      'DELETE /vpc/v2.0/vpn/ipsecpolicies/{id}',
      'DELETE /vpc/v2.0/vpn/vpnservices/{id}',
      'DELETE /vpc/v2.0/vpn/endpoint-groups/{id}',
      'DELETE /vpc/v2.0/vpn/ipsec-site-connections/{id}',
      'POST /console/vpc/vpn/ikepolicies/{id}/delete',
      'POST /console/vpc/vpn/ipsecpolicies/{id}/delete',
      'POST /console/vpc/vpn/vpnservices/{id}/delete',
      'POST /console/vpc/vpn/ipsec-site-connections/{id}/delete',
    ],
  },
  'vpcs:create': {
    description: 'Create VPCs',
    scope: 'project',
    operations: ['POST /vpc/v1/{project_id}/vpcs', 'POST /console/vpc/vpcs'],
  },
  'vpcs:list': {
    description: 'List VPCs',
    scope: 'project',
    operations: ['GET /vpc/v1/{project_id}/vpcs', 'GET /console/vpc/vpcs', 'GET /console/vpc/vpcs/rows'],
  },
  'vpcs:get': {
    description: 'Show VPCs',
    scope: 'project',
    operations: ['GET /vpc/v1/{project_id}/vpcs/{vpc_id}', 'GET /console/vpc/vpcs/{vpc_id}'],
  },
  'vpcs:update': {
    description: 'Change VPCs',
    scope: 'project',
    operations: ['PUT /vpc/v1/{project_id}/vpcs/{vpc_id}', 'POST /console/vpc/vpcs/{vpc_id}/gateway'],
  },
  'vpcs:delete': {
    description: 'Delete VPCs',
    scope: 'project',
    operations: ['DELETE /vpc/v1/{project_id}/vpcs/{vpc_id}', 'POST /console/vpc/vpcs/{vpc_id}/delete'],
  },
});

export const eipActions = defineActions('eip', {
  'floatingips:list': {
    description: 'List floating IPs',
    scope: 'project',
    operations: ['GET /vpc/v2.0/floatingips'],
  },
  'floatingips:get': {
    description: 'Show floating IPs',
    scope: 'project',
    operations: ['GET /vpc/v2.0/floatingips/{id}'],
  },
  'floatingips:create': {
    description: 'Create floating IPs',
    scope: 'project',
    operations: ['POST /vpc/v2.0/floatingips'],
  },
  'floatingips:update': {
    description: 'Change floating IPs',
    scope: 'project',
    operations: ['PUT /vpc/v2.0/floatingips/{id}'],
  },
  'floatingips:delete': {
    description: 'Delete floating IPs',
    scope: 'project',
    operations: ['DELETE /vpc/v2.0/floatingips/{id}'],
  },
  'publicips:create': {
    description: 'Create public IPs (native Elastic IPs)',
    scope: 'project',
    operations: ['POST /vpc/v1/{project_id}/publicips', 'POST /console/eip/eips'],
  },
  'publicips:list': {
    description: 'List public IPs (native Elastic IPs)',
    scope: 'project',
    operations: ['GET /vpc/v1/{project_id}/publicips', 'GET /console/eip/eips', 'GET /console/eip/eips/rows'],
  },
  'publicips:get': {
    description: 'Show public IPs (native Elastic IPs)',
    scope: 'project',
    operations: ['GET /vpc/v1/{project_id}/publicips/{publicip_id}'],
  },
  'publicips:update': {
    description: 'Change public IPs (native Elastic IPs)',
    scope: 'project',
    operations: [
      'PUT /vpc/v1/{project_id}/publicips/{publicip_id}',
      'GET /console/eip/eips/{publicip_id}/bind',
      'POST /console/eip/eips/{publicip_id}/bind',
      'POST /console/eip/eips/{publicip_id}/unbind',
    ],
  },
  'publicips:delete': {
    description: 'Delete public IPs (native Elastic IPs)',
    scope: 'project',
    operations: ['DELETE /vpc/v1/{project_id}/publicips/{publicip_id}', 'POST /console/eip/eips/{publicip_id}/release'],
  },
  'bandwidths:list': {
    description: 'List bandwidths',
    scope: 'project',
    operations: ['GET /vpc/v1/{project_id}/bandwidths'],
  },
  'bandwidths:get': {
    description: 'Show bandwidths',
    scope: 'project',
    operations: ['GET /vpc/v1/{project_id}/bandwidths/{bandwidth_id}'],
  },
  'bandwidths:update': {
    description: 'Change bandwidths',
    scope: 'project',
    operations: ['PUT /vpc/v1/{project_id}/bandwidths/{bandwidth_id}'],
  },
});
