ALTER TABLE `prices` ADD `effective_from` text;--> statement-breakpoint
-- Lines published before the column existed are dated by this migration: the earliest date this directory can vouch for.
UPDATE `prices` SET `effective_from` = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE `effective_from` IS NULL;