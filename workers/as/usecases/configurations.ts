/**
 * What Auto Scaling checks before it keeps a configuration or a group, the same checks a server's create makes:
 * the flavor, the image (bootable by the project, of the flavor's kind), the key pair and the security groups; for
 * a group, its VPC, subnets, security groups and load balancer pools. A configuration that could never launch
 * is refused at once instead of failing at every scaling activity.
 */
import type { InstanceConfig, PoolBinding } from '../../../schema/as.ts';
import { catalogueFlavors } from '../../directory/catalogue.ts';
import { bootImage } from '../../ims/usecases/images.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { badRequest } from '../../lib/errors.ts';

/** Refuses a configuration whose flavor, image, key pair or security groups the project cannot use. */
export async function checkConfiguration(caller: Caller, config: InstanceConfig): Promise<void> {
  const flavor = (await catalogueFlavors(caller.env)).find((f) => f.id === config.flavorRef || f.name === config.flavorRef);
  if (!flavor) throw badRequest(`The flavor ${config.flavorRef} does not exist.`, 'AS.1033');
  const image = await bootImage(caller.env, caller.projectId, config.imageRef);
  if (!image) throw badRequest(`The image ${config.imageRef} does not exist or is not available to the project.`, 'AS.1034');
  if ((flavor.category === 'baremetal') !== (image.virtualEnvType === 'Ironic'))
    throw badRequest(`The image ${image.name} cannot run on the flavor ${flavor.name}.`, 'AS.1035');
  const sys = config.disk.find((d) => d.disk_type === 'SYS')!;
  if (sys.size < image.minDiskGb)
    throw badRequest(`The system disk (${sys.size} GB) is smaller than the image needs (${image.minDiskGb} GB).`, 'AS.1036');
  const rows = await tenantOf(caller).list(['keypairs', 'security_groups']);
  if (config.key_name && !rows.keypairs.some((k) => k.name === config.key_name))
    throw badRequest(`The key pair ${config.key_name} does not exist.`, 'AS.1037');
  const unknown = (config.security_groups ?? []).find((g) => !rows.security_groups.some((s) => s.id === g.id));
  if (unknown) throw badRequest(`The security group ${unknown.id} does not exist.`, 'AS.1038');
}

/** Refuses a group whose VPC, subnets, security groups or pools are not the project's. */
export async function checkGroupReferences(
  caller: Caller,
  g: { vpcId?: string; networks?: string[]; securityGroups?: string[]; pools?: PoolBinding[] },
): Promise<void> {
  const rows = await tenantOf(caller).list(['vpcs', 'networks', 'security_groups', 'pools']);
  if (g.vpcId && !rows.vpcs.some((v) => v.id === g.vpcId)) throw badRequest(`The VPC ${g.vpcId} does not exist.`, 'AS.2003');
  const vpc = g.vpcId;
  for (const id of g.networks ?? []) {
    const n = rows.networks.find((x) => x.id === id);
    if (!n || (vpc && n.vpcId !== vpc)) throw badRequest(`The subnet ${id} does not exist in the VPC ${vpc}.`, 'AS.2004');
  }
  const sg = (g.securityGroups ?? []).find((id) => !rows.security_groups.some((s) => s.id === id));
  if (sg) throw badRequest(`The security group ${sg} does not exist.`, 'AS.2005');
  const pool = (g.pools ?? []).find((p) => !rows.pools.some((x) => x.id === p.pool_id));
  if (pool) throw badRequest(`The load balancer pool ${pool.pool_id} does not exist.`, 'AS.2006');
}
