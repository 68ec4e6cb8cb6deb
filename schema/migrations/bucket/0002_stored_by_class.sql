ALTER TABLE `bucket` ADD `stored_by_class` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
-- What is stored already, by class: every version's bytes, and the parts of uploads in progress.
UPDATE `bucket` SET `stored_by_class` = (
  SELECT coalesce(json_group_object(`cls`, `total`), '{}') FROM (
    SELECT `cls`, sum(`size`) AS `total` FROM (
      SELECT `storage_class` AS `cls`, `size` FROM `objects` WHERE `delete_marker` = 0
      UNION ALL
      SELECT `uploads`.`storage_class`, `parts`.`size` FROM `parts` JOIN `uploads` ON `uploads`.`upload_id` = `parts`.`upload_id`
    ) GROUP BY `cls` HAVING sum(`size`) > 0
  )
);
