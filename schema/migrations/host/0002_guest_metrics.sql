ALTER TABLE `instances` ADD `workload` text;--> statement-breakpoint
ALTER TABLE `instances` ADD `collected_until` integer DEFAULT 0 NOT NULL;