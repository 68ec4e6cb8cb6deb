CREATE TABLE `vpn_objects` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`status` text,
	`attributes` text NOT NULL,
	`refs` text DEFAULT '[]' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `vpn_objects_kind` ON `vpn_objects` (`kind`);