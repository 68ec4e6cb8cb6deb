ALTER TABLE `servers` ADD `access_ipv4` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `servers` ADD `access_ipv6` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `servers` ADD `disk_config` text DEFAULT 'MANUAL' NOT NULL;