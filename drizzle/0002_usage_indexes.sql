CREATE INDEX `questions_usage_idx` ON `questions` (`team_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `questions_user_usage_idx` ON `questions` (`team_id`,`user_id`,`received_at`);