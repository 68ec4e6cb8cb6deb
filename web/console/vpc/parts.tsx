/** What the VPC section's pages share: the section's own navigation and a VPC's label. */

import type { Vpc } from '../../../schema/tenant.ts';
import { vpcView } from '../../../workers/vpc/native/views.ts';
import { Tabs } from '../kit.tsx';

/** The pages of the VPC section, in the order of its own navigation. */
const PAGES = [
  { key: 'vpcs', href: '/console/vpc/vpcs', label: 'VPCs and subnets' },
  { key: 'security-groups', href: '/console/vpc/security-groups', label: 'Security groups' },
  { key: 'peerings', href: '/console/vpc/peerings', label: 'Peerings' },
  { key: 'vpn', href: '/console/vpc/vpn', label: 'VPN' },
] as const;

/** The section's navigation, the current page marked for assistive technology. */
export function VpcNav({ current }: { current: (typeof PAGES)[number]['key'] }) {
  return <Tabs label="Virtual Private Cloud" current={current} tabs={PAGES} />;
}

/** A VPC as a person picks it from a list: its name and CIDR block. */
export const vpcLabel = (v: Vpc) => `${v.name || v.id}${v.cidr ? ` (${v.cidr})` : ''}`;

/** A VPC's status as the native API and the Console show it (one made as a Neutron router is simply OK). */
export const vpcStatus = (v: Vpc) => vpcView(v).status;
