CREATE TABLE `elb_healthmonitors` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`admin_state_up` integer DEFAULT true NOT NULL,
	`provisioning_status` text NOT NULL,
	`operating_status` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`pool_id` text NOT NULL,
	`type` text NOT NULL,
	`delay` integer NOT NULL,
	`timeout` integer NOT NULL,
	`max_retries` integer NOT NULL,
	`max_retries_down` integer DEFAULT 3 NOT NULL,
	`http_method` text,
	`url_path` text,
	`expected_codes` text,
	`next_probe_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `elb_healthmonitors_pool_id_unique` ON `elb_healthmonitors` (`pool_id`);--> statement-breakpoint
CREATE TABLE `elb_listeners` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`admin_state_up` integer DEFAULT true NOT NULL,
	`provisioning_status` text NOT NULL,
	`operating_status` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`loadbalancer_id` text NOT NULL,
	`protocol` text NOT NULL,
	`protocol_port` integer NOT NULL,
	`connection_limit` integer DEFAULT -1 NOT NULL,
	`default_pool_id` text,
	`default_tls_container_ref` text,
	`sni_container_refs` text DEFAULT '[]' NOT NULL,
	`insert_headers` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `elb_listeners_lb` ON `elb_listeners` (`loadbalancer_id`);--> statement-breakpoint
CREATE TABLE `elb_loadbalancers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`admin_state_up` integer DEFAULT true NOT NULL,
	`provisioning_status` text NOT NULL,
	`operating_status` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`vip_address` text NOT NULL,
	`vip_port_id` text NOT NULL,
	`vip_subnet_id` text NOT NULL,
	`vip_network_id` text NOT NULL,
	`provider` text DEFAULT 'vlb' NOT NULL,
	`flavor_id` text,
	`availability_zone` text
);
--> statement-breakpoint
CREATE TABLE `elb_members` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`admin_state_up` integer DEFAULT true NOT NULL,
	`provisioning_status` text NOT NULL,
	`operating_status` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`pool_id` text NOT NULL,
	`address` text NOT NULL,
	`protocol_port` integer NOT NULL,
	`weight` integer DEFAULT 1 NOT NULL,
	`subnet_id` text,
	`backup` integer DEFAULT false NOT NULL,
	`monitor_address` text,
	`monitor_port` integer,
	`failures` integer DEFAULT 0 NOT NULL,
	`successes` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT 0 NOT NULL,
	`served` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `elb_members_pool` ON `elb_members` (`pool_id`);--> statement-breakpoint
CREATE TABLE `elb_pools` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`admin_state_up` integer DEFAULT true NOT NULL,
	`provisioning_status` text NOT NULL,
	`operating_status` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`loadbalancer_id` text NOT NULL,
	`listener_id` text,
	`protocol` text NOT NULL,
	`lb_algorithm` text NOT NULL,
	`session_persistence` text,
	`cursor` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `elb_pools_lb` ON `elb_pools` (`loadbalancer_id`);