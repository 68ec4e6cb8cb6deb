CREATE TABLE `notification_settings` (
	`domain_id` text PRIMARY KEY NOT NULL,
	`topic_urn` text NOT NULL,
	`updated_at` text NOT NULL
);
