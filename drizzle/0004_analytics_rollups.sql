CREATE TABLE `analytics_channel_days` (
	`team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`day` integer NOT NULL,
	`messages` integer NOT NULL,
	`threads_started` integer NOT NULL,
	`replies` integer NOT NULL,
	`help_replies` integer NOT NULL,
	`reactions_given` integer NOT NULL,
	`reactions_received` integer NOT NULL,
	`mentions_given` integer NOT NULL,
	`mentions_received` integer NOT NULL,
	`links` integer NOT NULL,
	`bot_messages` integer NOT NULL,
	PRIMARY KEY(`team_id`, `channel_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `analytics_dirty_days` (
	`team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`day` integer NOT NULL,
	PRIMARY KEY(`team_id`, `channel_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `analytics_dirty_threads` (
	`team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`thread_ts` text NOT NULL,
	PRIMARY KEY(`team_id`, `channel_id`, `thread_ts`)
);
--> statement-breakpoint
CREATE TABLE `analytics_person_days` (
	`team_id` text NOT NULL,
	`person_id` text NOT NULL,
	`day` integer NOT NULL,
	`messages` integer NOT NULL,
	`threads_started` integer NOT NULL,
	`replies` integer NOT NULL,
	`help_replies` integer NOT NULL,
	`reactions_given` integer NOT NULL,
	`reactions_received` integer NOT NULL,
	`mentions_given` integer NOT NULL,
	`mentions_received` integer NOT NULL,
	`links` integer NOT NULL,
	`bot_messages` integer NOT NULL,
	PRIMARY KEY(`team_id`, `person_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `analytics_person_days_day_idx` ON `analytics_person_days` (`team_id`,`day`);--> statement-breakpoint
DROP INDEX `analytics_mentions_day_idx`;--> statement-breakpoint
DROP INDEX `analytics_messages_time_idx`;--> statement-breakpoint
DROP INDEX `analytics_messages_day_idx`;--> statement-breakpoint
CREATE INDEX `analytics_messages_pending_idx` ON `analytics_messages` (`team_id`,`channel_id`,`ts`) WHERE latest_reply IS NOT NULL AND replies_synced_ts IS NOT latest_reply;--> statement-breakpoint
DROP INDEX `analytics_reactions_day_idx`;