CREATE TABLE `keypairs` (
	`name` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`public_key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`type` text DEFAULT 'ssh' NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `server_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`policy` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `servers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`vm_state` text NOT NULL,
	`task_state` text,
	`power_state` integer DEFAULT 0 NOT NULL,
	`user_id` text NOT NULL,
	`flavor_id` text NOT NULL,
	`vcpus` integer NOT NULL,
	`ram_mb` integer NOT NULL,
	`disk_gb` integer NOT NULL,
	`image_id` text NOT NULL,
	`zone` text NOT NULL,
	`host_id` text,
	`key_name` text,
	`user_data` text,
	`admin_pass` text,
	`metadata` text DEFAULT '{}' NOT NULL,
	`nics` text DEFAULT '[]' NOT NULL,
	`security_groups` text DEFAULT '[]' NOT NULL,
	`auto_recovery` integer DEFAULT true NOT NULL,
	`server_group_id` text,
	`fault` text,
	`build_attempts` integer DEFAULT 0 NOT NULL,
	`launched_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `servers_status` ON `servers` (`status`);