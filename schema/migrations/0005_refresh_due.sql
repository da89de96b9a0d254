DROP INDEX `connections_expiry_idx`;--> statement-breakpoint
ALTER TABLE `connections` ADD `refresh_due_at` integer;--> statement-breakpoint
-- Existing tokens: due 20 minutes before expiry. Those that cannot refresh are cleared on the sweep's first visit.
UPDATE `connections` SET `refresh_due_at` = `credentials_expires_at` - 1200000 WHERE `credentials_expires_at` IS NOT NULL AND `refresh_exhausted` = 0;--> statement-breakpoint
CREATE INDEX `connections_refresh_due_idx` ON `connections` (`refresh_due_at`);--> statement-breakpoint
ALTER TABLE `connections` DROP COLUMN `credentials_expires_at`;--> statement-breakpoint
ALTER TABLE `connections` DROP COLUMN `refresh_exhausted`;