CREATE TABLE `bandwidths` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`size` integer NOT NULL,
	`share_type` text NOT NULL,
	`charge_mode` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `elastic_ips` (
	`id` text PRIMARY KEY NOT NULL,
	`address` text,
	`type` text DEFAULT '5_bgp' NOT NULL,
	`status` text NOT NULL,
	`port_id` text,
	`fixed_ip_address` text,
	`bandwidth_id` text NOT NULL,
	`region` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `elastic_ips_port` ON `elastic_ips` (`port_id`);--> statement-breakpoint
CREATE TABLE `ip_allocations` (
	`subnet_id` text NOT NULL,
	`ip` integer NOT NULL,
	`port_id` text NOT NULL,
	PRIMARY KEY(`subnet_id`, `ip`)
);
--> statement-breakpoint
CREATE INDEX `ip_allocations_port` ON `ip_allocations` (`port_id`);--> statement-breakpoint
CREATE TABLE `networks` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`vpc_id` text,
	`admin_state_up` integer DEFAULT true NOT NULL,
	`mtu` integer DEFAULT 1500 NOT NULL,
	`port_security_enabled` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ports` (
	`id` text PRIMARY KEY NOT NULL,
	`network_id` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`mac_address` text NOT NULL,
	`admin_state_up` integer DEFAULT true NOT NULL,
	`status` text NOT NULL,
	`device_owner` text DEFAULT '' NOT NULL,
	`device_id` text DEFAULT '' NOT NULL,
	`fixed_ips` text NOT NULL,
	`security_groups` text NOT NULL,
	`allowed_address_pairs` text DEFAULT '[]' NOT NULL,
	`port_security_enabled` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ports_mac_address_unique` ON `ports` (`mac_address`);--> statement-breakpoint
CREATE INDEX `ports_network` ON `ports` (`network_id`);--> statement-breakpoint
CREATE INDEX `ports_device` ON `ports` (`device_id`);--> statement-breakpoint
CREATE TABLE `quotas` (
	`resource` text PRIMARY KEY NOT NULL,
	`limit` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `security_group_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`security_group_id` text NOT NULL,
	`direction` text NOT NULL,
	`ethertype` text NOT NULL,
	`protocol` text,
	`port_range_min` integer,
	`port_range_max` integer,
	`remote_ip_prefix` text,
	`remote_group_id` text,
	`description` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `security_group_rules_group` ON `security_group_rules` (`security_group_id`);--> statement-breakpoint
CREATE TABLE `security_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`vpc_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `subnets` (
	`id` text PRIMARY KEY NOT NULL,
	`network_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`cidr` text NOT NULL,
	`ip_version` integer DEFAULT 4 NOT NULL,
	`gateway_ip` text,
	`enable_dhcp` integer DEFAULT true NOT NULL,
	`dns_nameservers` text DEFAULT '[]' NOT NULL,
	`allocation_pools` text NOT NULL,
	`host_routes` text DEFAULT '[]' NOT NULL,
	`availability_zone` text,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `subnets_network` ON `subnets` (`network_id`);--> statement-breakpoint
CREATE TABLE `vpcs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`cidr` text,
	`status` text NOT NULL,
	`admin_state_up` integer DEFAULT true NOT NULL,
	`routes` text DEFAULT '[]' NOT NULL,
	`gateway` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
