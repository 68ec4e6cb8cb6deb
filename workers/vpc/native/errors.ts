/**
 * Error codes of the native VPC API. The TenantDO refuses with Neutron-style kinds (`RouterNotFound`,
 * `SubnetInUse`); native clients expect Flexible Engine's `VPC.xxxx` codes, numbered per resource as the real
 * API numbers them (VPC.01xx VPCs, VPC.02xx subnets, VPC.05xx public IPs), so each resource router renders its
 * refusals with its own codes.
 */
import { type AppContext, renderError, router } from '../../lib/app.ts';
import { ApiError } from '../../lib/errors.ts';

type Section = 'vpcs' | 'subnets' | 'ports' | 'publicips' | 'bandwidths' | 'security-groups';

/** Codes for bad input, a missing resource and a conflict (in use, over quota, busy), per resource. */
const CODES: Record<Section, Record<400 | 404 | 409, string>> = {
  vpcs: { 400: 'VPC.0101', 404: 'VPC.0101', 409: 'VPC.0111' },
  subnets: { 400: 'VPC.0201', 404: 'VPC.0202', 409: 'VPC.0209' },
  ports: { 400: 'VPC.0401', 404: 'VPC.0402', 409: 'VPC.0409' },
  publicips: { 400: 'VPC.0501', 404: 'VPC.0504', 409: 'VPC.0509' },
  bandwidths: { 400: 'VPC.0601', 404: 'VPC.0602', 409: 'VPC.0609' },
  'security-groups': { 400: 'VPC.0701', 404: 'VPC.0702', 409: 'VPC.0709' },
};

/** A missing resource is reported with the code of its own resource, whichever route looked for it. */
const MISSING: Record<string, Section> = {
  RouterNotFound: 'vpcs',
  NetworkNotFound: 'subnets',
  SubnetNotFound: 'subnets',
  PortNotFound: 'ports',
  FloatingIPNotFound: 'publicips',
  BandwidthNotFound: 'bandwidths',
  SecurityGroupNotFound: 'security-groups',
  SecurityGroupRuleNotFound: 'security-groups',
};

/** The native code of a refusal on a route of `section`; undefined leaves the family's default (`APIGW.<status>`). */
export function nativeCode(section: Section, status: number, kind?: string): string | undefined {
  const owner = status === 404 && kind ? (MISSING[kind] ?? section) : section;
  return CODES[owner][status as 400 | 404 | 409];
}

/** A router for one native resource: its refusals carry that resource's `VPC.xxxx` codes. */
export function nativeRouter(section: Section) {
  const r = router();
  r.onError((err, c: AppContext) =>
    renderError(err instanceof ApiError ? new ApiError(err.status, err.message, nativeCode(section, err.status, err.code)) : err, c),
  );
  return r;
}
