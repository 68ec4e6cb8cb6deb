ALTER TABLE `servers` ADD `description` text;--> statement-breakpoint
ALTER TABLE `servers` ADD `locked_by` text;--> statement-breakpoint
ALTER TABLE `servers` ADD `tags` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `servers` ADD `reservation_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `servers` ADD `launch_index` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `servers` ADD `hostname` text DEFAULT '' NOT NULL;