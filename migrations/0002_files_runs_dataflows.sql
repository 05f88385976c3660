CREATE TYPE "public"."run_kind" AS ENUM('file_load', 'rest_refresh', 'dataflow', 'script', 'table_write', 'report');--> statement-breakpoint
CREATE TYPE "public"."run_status" AS ENUM('queued', 'running', 'succeeded', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."run_trigger" AS ENUM('manual', 'schedule', 'script', 'dataflow');--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"kind" "run_kind" NOT NULL,
	"subject_id" uuid NOT NULL,
	"status" "run_status" DEFAULT 'queued' NOT NULL,
	"trigger" "run_trigger" DEFAULT 'manual' NOT NULL,
	"params" jsonb NOT NULL,
	"message" text,
	"rows_written" integer,
	"log" text DEFAULT '' NOT NULL,
	"output_file_id" uuid,
	"requested_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dataflows" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"source_datasource_id" uuid NOT NULL,
	"query" jsonb NOT NULL,
	"target_table" text NOT NULL,
	"target_datasource_id" uuid,
	"mode" text DEFAULT 'replace' NOT NULL,
	"schedule" text,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"last_fired_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "datasources" ADD COLUMN "refresh_schedule" text;--> statement-breakpoint
ALTER TABLE "datasources" ADD COLUMN "timezone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "datasources" ADD COLUMN "last_fired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "last_fired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataflows" ADD CONSTRAINT "dataflows_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataflows" ADD CONSTRAINT "dataflows_source_datasource_id_datasources_id_fk" FOREIGN KEY ("source_datasource_id") REFERENCES "public"."datasources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataflows" ADD CONSTRAINT "dataflows_target_datasource_id_datasources_id_fk" FOREIGN KEY ("target_datasource_id") REFERENCES "public"."datasources"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataflows" ADD CONSTRAINT "dataflows_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "runs_org_idx" ON "runs" USING btree ("organization_id","id");--> statement-breakpoint
CREATE INDEX "runs_subject_idx" ON "runs" USING btree ("subject_id","id");--> statement-breakpoint
CREATE INDEX "dataflows_org_idx" ON "dataflows" USING btree ("organization_id","id");