CREATE TABLE `activities` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`status` text NOT NULL,
	`description` text NOT NULL,
	`added` text NOT NULL,
	`removed` text NOT NULL,
	`scaling_value` text NOT NULL,
	`instance_value` integer NOT NULL,
	`desire_value` integer NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer
);
--> statement-breakpoint
CREATE INDEX `activities_group` ON `activities` (`group_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `configurations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`instance_config` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `groups` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`configuration_id` text,
	`desired` integer NOT NULL,
	`min` integer NOT NULL,
	`max` integer NOT NULL,
	`cool_down` integer NOT NULL,
	`vpc_id` text NOT NULL,
	`networks` text NOT NULL,
	`security_groups` text NOT NULL,
	`zones` text NOT NULL,
	`multi_az_policy` text NOT NULL,
	`pools` text NOT NULL,
	`audit_method` text NOT NULL,
	`audit_minutes` integer NOT NULL,
	`audit_grace` integer NOT NULL,
	`terminate_policy` text NOT NULL,
	`delete_public_ip` integer NOT NULL,
	`delete_volume` integer NOT NULL,
	`description` text NOT NULL,
	`tags` text NOT NULL,
	`region` text NOT NULL,
	`user_id` text NOT NULL,
	`last_scaling_at` integer,
	`last_audit_at` integer,
	`retry_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `instances` (
	`server_id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`name` text NOT NULL,
	`configuration_id` text,
	`state` text NOT NULL,
	`health` text NOT NULL,
	`protect` integer NOT NULL,
	`delete_server` integer NOT NULL,
	`members` text NOT NULL,
	`activity_id` text,
	`delete_asked_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `instances_group` ON `instances` (`group_id`);--> statement-breakpoint
CREATE TABLE `policies` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`alarm_id` text,
	`schedule` text,
	`action` text NOT NULL,
	`cool_down` integer NOT NULL,
	`status` text NOT NULL,
	`next_run_at` integer,
	`last_executed_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `policies_group` ON `policies` (`group_id`);--> statement-breakpoint
CREATE INDEX `policies_alarm` ON `policies` (`alarm_id`);