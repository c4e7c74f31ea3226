CREATE TABLE `analytics_people` (
	`team_id` text NOT NULL,
	`person_key` integer NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`team_id`, `person_key`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `analytics_people_person_idx` ON `analytics_people` (`team_id`,`person_id`);--> statement-breakpoint
ALTER TABLE `analytics_messages` ADD `reactions` text;--> statement-breakpoint
ALTER TABLE `analytics_messages` ADD `mentions` text;--> statement-breakpoint
DROP INDEX `analytics_messages_thread_idx`;--> statement-breakpoint
CREATE INDEX `analytics_messages_thread_idx` ON `analytics_messages` (`team_id`,`channel_id`,`thread_ts`) WHERE thread_ts IS NOT NULL;--> statement-breakpoint
UPDATE `analytics_messages` AS m SET `reactions` = g.list FROM (
	SELECT team_id, channel_id, ts, json_group_array(json_array(name, user_id)) AS list
	FROM (SELECT team_id, channel_id, ts, name, user_id FROM `analytics_reactions` ORDER BY team_id, channel_id, ts, rowid)
	GROUP BY team_id, channel_id, ts
) AS g WHERE m.team_id = g.team_id AND m.channel_id = g.channel_id AND m.ts = g.ts;--> statement-breakpoint
UPDATE `analytics_messages` AS m SET `mentions` = g.list FROM (
	SELECT team_id, channel_id, ts, json_group_array(user_id) AS list
	FROM (SELECT team_id, channel_id, ts, user_id FROM `analytics_mentions` ORDER BY team_id, channel_id, ts, rowid)
	GROUP BY team_id, channel_id, ts
) AS g WHERE m.team_id = g.team_id AND m.channel_id = g.channel_id AND m.ts = g.ts;--> statement-breakpoint
DROP TABLE `analytics_daily`;--> statement-breakpoint
DROP TABLE `analytics_mentions`;--> statement-breakpoint
DROP TABLE `analytics_reactions`;--> statement-breakpoint
DROP TABLE `analytics_person_days`;--> statement-breakpoint
CREATE TABLE `analytics_person_days` (
	`team_id` text NOT NULL,
	`day` integer NOT NULL,
	`people` blob NOT NULL,
	PRIMARY KEY(`team_id`, `day`)
);
--> statement-breakpoint
ALTER TABLE `analytics_channel_days` ADD `people` blob;--> statement-breakpoint
CREATE INDEX `analytics_channel_days_day_idx` ON `analytics_channel_days` (`team_id`,`day`);--> statement-breakpoint
INSERT OR IGNORE INTO `analytics_dirty_days` (team_id, channel_id, day) SELECT team_id, channel_id, day FROM `analytics_channel_days`;
