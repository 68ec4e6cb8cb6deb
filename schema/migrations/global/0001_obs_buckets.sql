CREATE TABLE `obs_buckets` (
	`name` text PRIMARY KEY NOT NULL,
	`domain_id` text NOT NULL,
	`region` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`domain_id`) REFERENCES `domains`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `obs_buckets_domain` ON `obs_buckets` (`domain_id`,`name`);