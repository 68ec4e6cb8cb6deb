CREATE TABLE `blobs` (
	`key` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`since` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `blobs_state` ON `blobs` (`state`,`since`);--> statement-breakpoint
CREATE TABLE `bucket` (
	`name` text PRIMARY KEY NOT NULL,
	`incarnation` text NOT NULL,
	`owner_domain_id` text NOT NULL,
	`owner_domain_name` text NOT NULL,
	`region` text NOT NULL,
	`created_at` text NOT NULL,
	`versioning` text DEFAULT '' NOT NULL,
	`acl` text NOT NULL,
	`policy` text,
	`cors` text,
	`lifecycle` text,
	`tagging` text,
	`default_storage_class` text DEFAULT 'STANDARD' NOT NULL,
	`stored_bytes` integer DEFAULT 0 NOT NULL,
	`object_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `meters` (
	`hour` text NOT NULL,
	`metric` text NOT NULL,
	`value` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`hour`, `metric`)
);
--> statement-breakpoint
CREATE TABLE `objects` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`version_id` text NOT NULL,
	`latest` integer NOT NULL,
	`delete_marker` integer DEFAULT false NOT NULL,
	`size` integer DEFAULT 0 NOT NULL,
	`etag` text DEFAULT '' NOT NULL,
	`last_modified` text NOT NULL,
	`content_type` text DEFAULT 'binary/octet-stream' NOT NULL,
	`meta` text NOT NULL,
	`storage_class` text DEFAULT 'STANDARD' NOT NULL,
	`blobs` text NOT NULL,
	`parts_count` integer DEFAULT 0 NOT NULL,
	`tags` text,
	`acl` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `objects_key_version` ON `objects` (`key`,`version_id`);--> statement-breakpoint
CREATE INDEX `objects_latest` ON `objects` (`latest`,`key`);--> statement-breakpoint
CREATE TABLE `parts` (
	`upload_id` text NOT NULL,
	`part_number` integer NOT NULL,
	`etag` text NOT NULL,
	`size` integer NOT NULL,
	`blob` text NOT NULL,
	`last_modified` text NOT NULL,
	PRIMARY KEY(`upload_id`, `part_number`)
);
--> statement-breakpoint
CREATE TABLE `uploads` (
	`upload_id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`initiated` text NOT NULL,
	`initiator_id` text NOT NULL,
	`initiator_name` text DEFAULT '' NOT NULL,
	`content_type` text DEFAULT 'binary/octet-stream' NOT NULL,
	`meta` text NOT NULL,
	`storage_class` text DEFAULT 'STANDARD' NOT NULL,
	`tags` text,
	`acl` text
);
--> statement-breakpoint
CREATE INDEX `uploads_key` ON `uploads` (`key`,`upload_id`);