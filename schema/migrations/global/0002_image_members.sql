CREATE TABLE `image_members` (
	`image_id` text NOT NULL,
	`owner_project_id` text NOT NULL,
	`member_project_id` text NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`owner_project_id`, `image_id`, `member_project_id`)
);
--> statement-breakpoint
CREATE INDEX `image_members_member` ON `image_members` (`member_project_id`,`status`);--> statement-breakpoint
CREATE INDEX `image_members_image` ON `image_members` (`image_id`);