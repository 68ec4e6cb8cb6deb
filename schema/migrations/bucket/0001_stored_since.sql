ALTER TABLE `bucket` ADD `stored_since` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Bytes stored before this migration are metered from now on (their past is not known).
UPDATE `bucket` SET `stored_since` = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
