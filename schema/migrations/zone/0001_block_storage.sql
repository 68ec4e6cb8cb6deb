CREATE TABLE `storage_claims` (
	`volume_id` text PRIMARY KEY NOT NULL,
	`volume_type` text NOT NULL,
	`project_id` text NOT NULL,
	`size_gb` integer NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `storage_claims_type` ON `storage_claims` (`volume_type`);--> statement-breakpoint
CREATE TABLE `storage_pools` (
	`volume_type` text PRIMARY KEY NOT NULL,
	`capacity_gb` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL
);
