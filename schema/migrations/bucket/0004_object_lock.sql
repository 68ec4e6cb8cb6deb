ALTER TABLE `bucket` ADD `object_lock` text;--> statement-breakpoint
ALTER TABLE `bucket` ADD `public_access_block` text;--> statement-breakpoint
ALTER TABLE `bucket` ADD `ownership` text;--> statement-breakpoint
ALTER TABLE `objects` ADD `retention` text;--> statement-breakpoint
ALTER TABLE `objects` ADD `legal_hold` text;--> statement-breakpoint
ALTER TABLE `objects` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `uploads` ADD `lock` text;--> statement-breakpoint
ALTER TABLE `uploads` ADD `owner` text;