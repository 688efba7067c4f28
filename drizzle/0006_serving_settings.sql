CREATE TABLE "docs_sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"user_id" integer NOT NULL,
	"host" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "domain_headers" (
	"id" serial PRIMARY KEY NOT NULL,
	"domain_id" integer NOT NULL,
	"name" text NOT NULL,
	"value" text NOT NULL,
	"only_if_secure_request" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "domains" ADD COLUMN "hsts_max_age" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "domains" ADD COLUMN "hsts_include_subdomains" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "domains" ADD COLUMN "hsts_preload" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "custom_prefix" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "custom_subproject_prefix" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "delisted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "docs_sessions" ADD CONSTRAINT "docs_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "domain_headers" ADD CONSTRAINT "domain_headers_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "docs_sessions_expires_idx" ON "docs_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "domain_headers_domain_idx" ON "domain_headers" USING btree ("domain_id");