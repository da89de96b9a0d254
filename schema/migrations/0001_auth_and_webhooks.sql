CREATE TABLE `connect_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`environment_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`end_user_id` text,
	`end_user_email` text,
	`end_user_display_name` text,
	`end_user_tags` text,
	`organization_id` text,
	`organization_display_name` text,
	`tags` text DEFAULT '{}' NOT NULL,
	`allowed_integrations` text,
	`integrations_config_defaults` text,
	`overrides` text,
	`webhook_url_override` text,
	`reconnect_connection_id` integer,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`environment_id`) REFERENCES `environments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connect_sessions_token_hash_unique` ON `connect_sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `connect_sessions_expiry_idx` ON `connect_sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `oauth_sessions` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`cookie_hash` text NOT NULL,
	`environment_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`connect_session_id` text,
	`ws_client_id` text,
	`payload_enc` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `oauth_sessions_expiry_idx` ON `oauth_sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`environment_id` text NOT NULL,
	`type` text NOT NULL,
	`event` text,
	`integration_key` text,
	`connection_id` text,
	`url` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_http_status` integer,
	`last_error` text,
	`next_attempt_at` integer,
	`delivered_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_environment_idx` ON `webhook_deliveries` (`environment_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_pending_idx` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `connections` ADD `credentials_expires_at` integer;--> statement-breakpoint
ALTER TABLE `connections` ADD `auth_error_log_id` text;--> statement-breakpoint
ALTER TABLE `connections` ADD `refresh_exhausted` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `connections_expiry_idx` ON `connections` (`credentials_expires_at`);--> statement-breakpoint
ALTER TABLE `environments` ADD `webhook_settings` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `environments` ADD `connect_ui_settings` text DEFAULT '{}' NOT NULL;