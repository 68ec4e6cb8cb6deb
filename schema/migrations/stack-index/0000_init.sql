CREATE TABLE `stacks` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`owner_id` text NOT NULL,
	`tags` text,
	`created_at` text NOT NULL,
	`updated_at` text,
	`deleted_at` text
);
--> statement-breakpoint
CREATE INDEX `stacks_name` ON `stacks` (`name`);