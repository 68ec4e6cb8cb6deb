/**
 * The Console's sections, in the order of its navigation: each is one service's pages, mounted at
 * `/console/<name>` (web/console/console.app.tsx mounts each section's router; a section without one fails at
 * start). A section is listed only once its pages exist: no placeholders.
 */

export interface Section {
  /** The path segment and the key of its router (`ecs`). */
  name: string;
  /** The navigation's label. */
  title: string;
  /** The section's first page. */
  home: string;
}

export const SECTIONS: readonly Section[] = [
  { name: 'ecs', title: 'Elastic Cloud Server', home: '/console/ecs/servers' },
  { name: 'vpc', title: 'Virtual Private Cloud', home: '/console/vpc/vpcs' },
  { name: 'eip', title: 'Elastic IP', home: '/console/eip/eips' },
  { name: 'evs', title: 'Elastic Volume Service', home: '/console/evs/volumes' },
  { name: 'elb', title: 'Elastic Load Balance', home: '/console/elb/loadbalancers' },
  { name: 'as', title: 'Auto Scaling', home: '/console/as/groups' },
  { name: 'ims', title: 'Image Management Service', home: '/console/ims/images' },
  { name: 'vbs', title: 'Volume Backup Service', home: '/console/vbs/backups' },
  { name: 'obs', title: 'Object Storage', home: '/console/obs/buckets' },
  { name: 'ces', title: 'Cloud Eye', home: '/console/ces/metrics' },
  { name: 'smn', title: 'Simple Message Notification', home: '/console/smn/topics' },
  { name: 'iam', title: 'Identity and access (IAM)', home: '/console/iam' },
];
