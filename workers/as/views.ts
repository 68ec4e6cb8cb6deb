/** Auto Scaling v1's views of the AsDO's rows: groups, configurations, policies, instances, activities. */
import { z } from 'zod';
import type { GroupView } from '../../durable/as.ts';
import type { Activity, Configuration, Instance, Policy } from '../../schema/as.ts';

/** AS's time format: `YYYY-MM-DDThh:mm:ssZ` (UTC, no fraction). */
export const asTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

export function configurationView(c: Configuration) {
  return {
    scaling_configuration_id: c.id,
    scaling_configuration_name: c.name,
    instance_config: {
      flavorRef: c.instanceConfig.flavorRef,
      imageRef: c.instanceConfig.imageRef,
      disk: c.instanceConfig.disk,
      key_name: c.instanceConfig.key_name ?? null,
      // The admin password is write-only, as it is for servers.
      adminPass: null,
      instance_id: c.instanceConfig.instance_id ?? null,
      tenancy: c.instanceConfig.tenancy ?? null,
      dedicated_host_id: c.instanceConfig.dedicated_host_id ?? null,
      security_groups: c.instanceConfig.security_groups ?? [],
      public_ip: c.instanceConfig.public_ip ?? null,
      user_data: c.instanceConfig.user_data ?? null,
      metadata: c.instanceConfig.metadata ?? {},
      personality: null,
      instance_name: null,
    },
    create_time: asTime(c.createdAt),
  };
}

export function groupView(g: GroupView, configurationName: string | null) {
  return {
    scaling_group_id: g.id,
    scaling_group_name: g.name,
    scaling_group_status: g.status,
    scaling_configuration_id: g.configurationId,
    scaling_configuration_name: configurationName,
    current_instance_number: g.current,
    desire_instance_number: g.desired,
    min_instance_number: g.min,
    max_instance_number: g.max,
    cool_down_time: g.coolDown,
    lb_listener_id: null,
    lbaas_listeners: g.pools,
    available_zones: g.zones,
    networks: g.networks.map((id) => ({ id })),
    security_groups: g.securityGroups.map((id) => ({ id })),
    vpc_id: g.vpcId,
    create_time: asTime(g.createdAt),
    detail: null,
    is_scaling: g.scaling,
    health_periodic_audit_method: g.auditMethod,
    health_periodic_audit_time: g.auditMinutes,
    health_periodic_audit_grace_period: g.auditGrace,
    instance_terminate_policy: g.terminatePolicy,
    notifications: [],
    delete_publicip: g.deletePublicIp,
    delete_volume: g.deleteVolume,
    multi_az_priority_policy: g.multiAzPolicy,
    description: g.description,
    enterprise_project_id: '0',
    cloud_location_id: null,
    activity_type: g.status === 'DELETING' ? 'DELETE' : g.scaling ? 'SCALING' : null,
  };
}

export function policyView(p: Policy) {
  return {
    scaling_policy_id: p.id,
    scaling_group_id: p.groupId,
    scaling_policy_name: p.name,
    scaling_policy_type: p.type,
    alarm_id: p.alarmId,
    scheduled_policy: p.schedule,
    scaling_policy_action: { instance_number: 1, ...p.action },
    cool_down_time: p.coolDown,
    policy_status: p.status,
    create_time: asTime(p.createdAt),
  };
}

export function instanceView(i: Instance, groupName: string, configurationName: string | null) {
  return {
    instance_id: i.serverId,
    instance_name: i.name,
    scaling_group_id: i.groupId,
    scaling_group_name: groupName,
    life_cycle_state: i.state,
    health_status: i.health,
    scaling_configuration_id: i.configurationId,
    scaling_configuration_name: configurationName,
    create_time: asTime(i.createdAt),
    protect_from_scaling_down: i.protect,
  };
}

export function activityView(a: Activity) {
  return {
    id: a.id,
    status: a.status,
    description: a.description,
    start_time: asTime(a.startedAt),
    end_time: a.endedAt === null ? null : asTime(a.endedAt),
    instance_added_list: a.added.join(',') || null,
    instance_deleted_list: a.removed.join(',') || null,
    scaling_value: a.scalingValue,
    instance_value: a.instanceValue,
    desire_value: a.desireValue,
  };
}

/** `start_number` and `limit`, as every AS list takes them (the fields of its query schema). */
export const pageFields = {
  start_number: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(0).max(100).default(20),
};

/** A page of a list the AS way: `start_number` and `limit` over the whole, with the total. */
export function asPage<T>(all: T[], q: { start_number: number; limit: number }) {
  return {
    total_number: all.length,
    start_number: q.start_number,
    limit: q.limit,
    page: all.slice(q.start_number, q.start_number + q.limit),
  };
}
