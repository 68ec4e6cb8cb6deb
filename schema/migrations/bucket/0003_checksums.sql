ALTER TABLE `objects` ADD `checksum` text;--> statement-breakpoint
ALTER TABLE `parts` ADD `checksum` text;--> statement-breakpoint
ALTER TABLE `uploads` ADD `checksum_algorithm` text;--> statement-breakpoint
ALTER TABLE `uploads` ADD `checksum_type` text;