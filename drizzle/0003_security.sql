CREATE TABLE "maintainer_invitations" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"invited_by_id" integer,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "repo_credentials" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "external_builds_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "external_builds_privacy_level" text DEFAULT 'public' NOT NULL;--> statement-breakpoint
ALTER TABLE "maintainer_invitations" ADD CONSTRAINT "maintainer_invitations_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintainer_invitations" ADD CONSTRAINT "maintainer_invitations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintainer_invitations" ADD CONSTRAINT "maintainer_invitations_invited_by_id_users_id_fk" FOREIGN KEY ("invited_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "maintainer_invitations_project_user_key" ON "maintainer_invitations" USING btree ("project_id","user_id");--> statement-breakpoint
CREATE INDEX "maintainer_invitations_user_idx" ON "maintainer_invitations" USING btree ("user_id");