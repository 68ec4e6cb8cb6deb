CREATE TABLE `backup_policies` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`schedule` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`next_run_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `backup_policy_volumes` (
	`volume_id` text PRIMARY KEY NOT NULL,
	`policy_id` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `backups` (
	`id` text PRIMARY KEY NOT NULL,
	`volume_id` text NOT NULL,
	`snapshot_id` text,
	`name` text DEFAULT '' NOT NULL,
	`description` text,
	`size` integer NOT NULL,
	`stored_gb` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`zone` text NOT NULL,
	`volume_type` text NOT NULL,
	`volume_metadata` text DEFAULT '{}' NOT NULL,
	`incremental` integer DEFAULT false NOT NULL,
	`parent_id` text,
	`policy_id` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`pending` text,
	`fault` text,
	`user_id` text NOT NULL,
	`data_timestamp` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `backups_volume` ON `backups` (`volume_id`);--> statement-breakpoint
CREATE TABLE `snapshots` (
	`id` text PRIMARY KEY NOT NULL,
	`volume_id` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`description` text,
	`size` integer NOT NULL,
	`status` text NOT NULL,
	`metadata` text DEFAULT '{}' NOT NULL,
	`fault` text,
	`user_id` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `snapshots_volume` ON `snapshots` (`volume_id`);--> statement-breakpoint
CREATE TABLE `volume_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`volume_id` text NOT NULL,
	`server_id` text NOT NULL,
	`device` text NOT NULL,
	`status` text NOT NULL,
	`boot_index` integer,
	`delete_on_termination` integer DEFAULT false NOT NULL,
	`tag` text,
	`attached_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `volume_attachments_pair` ON `volume_attachments` (`volume_id`,`server_id`);--> statement-breakpoint
CREATE INDEX `volume_attachments_server` ON `volume_attachments` (`server_id`);--> statement-breakpoint
CREATE TABLE `volumes` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`description` text,
	`size` integer NOT NULL,
	`status` text NOT NULL,
	`zone` text NOT NULL,
	`volume_type` text NOT NULL,
	`user_id` text NOT NULL,
	`bootable` integer DEFAULT false NOT NULL,
	`readonly` integer DEFAULT false NOT NULL,
	`multiattach` integer DEFAULT false NOT NULL,
	`encrypted` integer DEFAULT false NOT NULL,
	`metadata` text DEFAULT '{}' NOT NULL,
	`image_metadata` text,
	`source` text DEFAULT '{}' NOT NULL,
	`tags` text DEFAULT '{}' NOT NULL,
	`pending` text,
	`fault` text,
	`created_for` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `volumes_status` ON `volumes` (`status`);--> statement-breakpoint
CREATE TABLE `images` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text,
	`status` text NOT NULL,
	`visibility` text NOT NULL,
	`protected` integer DEFAULT false NOT NULL,
	`os_hidden` integer DEFAULT false NOT NULL,
	`disk_format` text,
	`container_format` text,
	`min_disk` integer DEFAULT 0 NOT NULL,
	`min_ram` integer DEFAULT 0 NOT NULL,
	`size` integer,
	`virtual_size` integer,
	`checksum` text,
	`hash_algo` text,
	`hash_value` text,
	`properties` text DEFAULT '{}' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`blob_key` text,
	`origin` text,
	`user_id` text NOT NULL,
	`fault` text,
	`active_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `images_status` ON `images` (`status`);--> statement-breakpoint
CREATE TABLE `usage_events` (
	`id` text PRIMARY KEY NOT NULL,
	`meter` text NOT NULL,
	`resource_id` text NOT NULL,
	`action` text NOT NULL,
	`quantity` real NOT NULL,
	`attributes` text DEFAULT '{}' NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_events_resource` ON `usage_events` (`resource_id`);--> statement-breakpoint
CREATE INDEX `usage_events_at` ON `usage_events` (`at`);