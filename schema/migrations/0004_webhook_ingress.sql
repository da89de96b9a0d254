CREATE TABLE `incoming_webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`environment_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`headers` text NOT NULL,
	`body` text NOT NULL,
	`operation_id` integer NOT NULL,
	`status` text NOT NULL,
	`received_at` integer NOT NULL,
	`processed_at` integer,
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `incoming_webhooks_status_idx` ON `incoming_webhooks` (`status`,`received_at`);--> statement-breakpoint
CREATE TABLE `webhook_delivery_keys` (
	`integration_id` text NOT NULL,
	`key` text NOT NULL,
	`incoming_id` text NOT NULL,
	`event_index` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `key`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_delivery_keys_incoming_idx` ON `webhook_delivery_keys` (`incoming_id`);--> statement-breakpoint
CREATE INDEX `webhook_delivery_keys_expiry_idx` ON `webhook_delivery_keys` (`expires_at`);