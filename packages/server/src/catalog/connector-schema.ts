/**
 * The connector catalog's schema. Every `catalog/connectors/<key>.json` is parsed with
 * {@link ConnectorSchema} at start, so a typo in a URL, a scope or a field name stops the server
 * instead of surfacing in the middle of some end user's OAuth flow.
 *
 * Every object is a `z.strictObject` (zod 4's spelling of `.strict()`): an unknown field is an
 * error, never silently ignored, because a misspelt optional field would otherwise just vanish.
 */
import { z } from "zod";

/** Credential kinds, in the spelling the public API uses (`Connection.type`). */
export const AUTH_TYPES = ["OAUTH", "API_KEY", "BEARER_TOKEN", "BASIC_AUTH", "KEY_PAIR"] as const;
export const AuthTypeSchema = z.enum(AUTH_TYPES);
export type AuthType = z.output<typeof AuthTypeSchema>;

/** The kinds whose credentials the end user types into a form (the connector's `fields`). */
export const STATIC_AUTH_TYPES = ["API_KEY", "BEARER_TOKEN", "BASIC_AUTH", "KEY_PAIR"] as const satisfies readonly AuthType[];
export type StaticAuthType = (typeof STATIC_AUTH_TYPES)[number];

/** Closed list so the `category` filter of `GET /api/v1/providers` has a known vocabulary. */
export const CATEGORIES = [
  "Communication",
  "Collaboration",
  "CRM & Sales",
  "Marketing",
  "Analytics",
  "Databases",
  "Developer Tools",
  "Monitoring",
  "Project Management",
  "Productivity",
  "Files & Documents",
  "Calendar",
  "Customer Support",
  "Finance",
] as const;
export const CategorySchema = z.enum(CATEGORIES);
export type Category = z.output<typeof CategorySchema>;

/**
 * Parameters the authorization flow itself owns; a connector setting one in `authorize_params`
 * would silently override the flow's value (state, PKCE) and open a hole.
 */
export const RESERVED_AUTHORIZE_PARAMS = [
  "response_type",
  "client_id",
  "redirect_uri",
  "scope",
  "state",
  "code_challenge",
  "code_challenge_method",
] as const;

const TEMPLATE = /\{\{([a-z][a-z0-9_]*)\}\}/g;

/** The distinct `{{name}}` variables of a templated string, in order of first use. */
export function templateVariables(value: string): string[] {
  const names: string[] = [];
  for (const match of value.matchAll(TEMPLATE)) {
    const name = match[1];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

/** Replaces every `{{name}}` that `values` knows; unknown variables are left in place. */
export function fillTemplate(value: string, values: Readonly<Record<string, string>>): string {
  return value.replace(TEMPLATE, (whole, name: string) => (Object.hasOwn(values, name) ? (values[name] ?? whole) : whole));
}

/**
 * Why a (possibly templated) URL is unacceptable, or undefined when it is fine. A variable at the
 * very start stands for a whole `https://host` origin (Salesforce's `{{instance_url}}`); anywhere
 * else it stands for a URL-safe piece such as a subdomain or a tenant id.
 */
export function urlProblem(value: string, { allowFragment = false }: { allowFragment?: boolean } = {}): string | undefined {
  const probe = value.replace(TEMPLATE, (_whole, _name: string, offset: number) =>
    offset === 0 ? "https://template.invalid" : "template",
  );
  if (/[{}\s]/.test(probe)) return "Invalid URL";
  let url: URL;
  try {
    url = new URL(probe);
  } catch {
    return "Invalid URL";
  }
  if (url.protocol !== "https:" || !probe.startsWith("https://")) return "URL must use https";
  if (url.username !== "" || url.password !== "") return "URL must not carry credentials";
  if (url.hash !== "" && !allowFragment) return "URL must not have a fragment";
  return undefined;
}

/** `endpoint`: may be templated, no fragment; `issuer`: a fixed endpoint-like identifier; `page`: a fixed web page. */
const httpsUrl = (kind: "endpoint" | "issuer" | "page") =>
  z.string().superRefine((value, ctx) => {
    if (kind !== "endpoint" && value.includes("{{")) {
      ctx.addIssue({ code: "custom", message: "Templates are not allowed here" });
      return;
    }
    const problem = urlProblem(value, { allowFragment: kind === "page" });
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

const snakeName = z.string().regex(/^[a-z][a-z0-9_]*$/, "Must be snake_case: a-z, 0-9, _");
const headerName = z.string().regex(/^[A-Za-z0-9-]+$/, "Invalid HTTP header name");
const scopeString = z.string().min(1).regex(/^\S+$/, "Scope must not contain whitespace");

/** One entry of the scope picker. */
export const ScopeInfoSchema = z.strictObject({
  scope: scopeString,
  /** Shown to the developer choosing scopes, so it says what the scope lets the agent do. */
  description: z.string().min(1),
});
export type ScopeInfo = z.output<typeof ScopeInfoSchema>;

/** How a provider runs the OAuth 2.0 authorization code flow. */
export const OAuthConfigSchema = z
  .strictObject({
    /** Where the end user is sent to consent; may hold `{{name}}` templates (see `template_defaults`). */
    authorize_url: httpsUrl("endpoint"),
    /** Code and refresh-token exchange endpoint. */
    token_url: httpsUrl("endpoint"),
    /**
     * RFC 7009-style endpoint (POST `token`, client auth as `token_auth_method`) called on
     * disconnect. Omitted where the provider has none or only a non-standard one: revocation is
     * best-effort and must not need per-provider code.
     */
    revoke_url: httpsUrl("endpoint").optional(),
    /** GET with the access token as bearer; its JSON names the account (not necessarily OIDC). */
    userinfo_url: httpsUrl("endpoint").optional(),
    /**
     * Issuer identifier the provider documents. When an authorization response carries `iss`
     * (RFC 9207) it must equal this, defeating mix-up attacks; providers send it inconsistently
     * (Google only sometimes), so a response without `iss` is not an error.
     */
    issuer: httpsUrl("issuer").optional(),
    /** Requested when the connection does not choose its own scopes; each must be listed in `available_scopes`. */
    default_scopes: z.array(scopeString),
    /** Everything a developer can usefully pick, so the dashboard offers a list instead of a free-text box. */
    available_scopes: z.array(ScopeInfoSchema),
    /**
     * True for providers that take no scope parameter (permissions are ticked on the registered
     * app): both scope lists stay empty and no `scope` is sent.
     */
    app_managed_scopes: z.boolean().default(false),
    /** Joins scopes in the authorize URL; most use a space, a few (Slack, Linear) a comma. */
    scope_separator: z.enum([" ", ","]).default(" "),
    /** Provider-specific authorize extras (Google's `access_type=offline`, Atlassian's `audience`). */
    authorize_params: z.record(snakeName, z.string()).default({}),
    /** Whether the provider accepts PKCE S256; providers that require it (Airtable, ZoomInfo) fail without it. */
    pkce: z.boolean(),
    /** Client authentication at the token endpoint: some providers reject the other style outright. */
    token_auth_method: z.enum(["client_secret_post", "client_secret_basic"]),
    /** Values for the `{{name}}` templates of the URLs above, unless the connection overrides them. */
    template_defaults: z.record(snakeName, z.string().min(1)).default({}),
    /**
     * Fields of the token endpoint's answer that say where the account's API lives (Salesforce's
     * `instance_url`), kept in the account's `api_config` after each code exchange so the API's
     * templates resolve without a manual step. Checked like any api_config value when a call uses it.
     */
    token_response_api_config: z.array(snakeName).default([]),
  })
  .superRefine((oauth, ctx) => {
    const urlKeys = ["authorize_url", "token_url", "revoke_url", "userinfo_url"] as const;
    const used = new Set<string>();
    for (const key of urlKeys) {
      const url = oauth[key];
      if (url === undefined) continue;
      const missing = templateVariables(url).filter((name) => {
        used.add(name);
        return !Object.hasOwn(oauth.template_defaults, name);
      });
      for (const name of missing) {
        ctx.addIssue({ code: "custom", path: [key], message: `Template variable "${name}" has no entry in template_defaults` });
      }
      if (missing.length === 0 && templateVariables(url).length > 0) {
        const problem = urlProblem(fillTemplate(url, oauth.template_defaults));
        if (problem !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `${problem} once template_defaults are applied` });
      }
    }
    for (const name of Object.keys(oauth.template_defaults)) {
      if (!used.has(name)) {
        ctx.addIssue({ code: "custom", path: ["template_defaults", name], message: "Not used by any OAuth URL" });
      }
    }

    if (oauth.app_managed_scopes) {
      if (oauth.default_scopes.length > 0) {
        ctx.addIssue({ code: "custom", path: ["default_scopes"], message: "Must be empty when app_managed_scopes is true" });
      }
      if (oauth.available_scopes.length > 0) {
        ctx.addIssue({ code: "custom", path: ["available_scopes"], message: "Must be empty when app_managed_scopes is true" });
      }
    } else if (oauth.default_scopes.length === 0) {
      ctx.addIssue({ code: "custom", path: ["default_scopes"], message: "At least one scope (or set app_managed_scopes)" });
    }

    const available = new Set<string>();
    oauth.available_scopes.forEach(({ scope }, i) => {
      if (available.has(scope)) ctx.addIssue({ code: "custom", path: ["available_scopes", i, "scope"], message: `Duplicate scope "${scope}"` });
      available.add(scope);
      if (scope.includes(oauth.scope_separator)) {
        ctx.addIssue({ code: "custom", path: ["available_scopes", i, "scope"], message: "Scope contains the scope_separator" });
      }
    });
    const defaults = new Set<string>();
    oauth.default_scopes.forEach((scope, i) => {
      if (defaults.has(scope)) ctx.addIssue({ code: "custom", path: ["default_scopes", i], message: `Duplicate scope "${scope}"` });
      defaults.add(scope);
      if (!available.has(scope)) {
        ctx.addIssue({ code: "custom", path: ["default_scopes", i], message: `"${scope}" is not listed in available_scopes` });
      }
    });

    for (const name of Object.keys(oauth.authorize_params)) {
      if ((RESERVED_AUTHORIZE_PARAMS as readonly string[]).includes(name)) {
        ctx.addIssue({ code: "custom", path: ["authorize_params", name], message: "Reserved: the authorization flow sets this itself" });
      }
    }
  });
export type OAuthConfig = z.output<typeof OAuthConfigSchema>;

/** One input of the static-credential form; values are validated against it on connect. */
export const CredentialFieldSchema = z
  .strictObject({
    /** Key in `static_auth` and the name `api.auth` / `api.base_url` refer to. */
    name: snakeName,
    label: z.string().min(1),
    /** Secret values are stored encrypted, masked in the form and never echoed back by the API. */
    secret: z.boolean(),
    required: z.boolean(),
    /** Where in the provider's UI to find the value: the question every user asks. */
    hint: z.string().min(1).optional(),
    /** ECMAScript regex source, matched with `new RegExp(pattern).test(value)`, so anchor it. */
    pattern: z.string().min(1).optional(),
    /** Used when an optional field is left empty (Datadog's site). */
    default: z.string().min(1).optional(),
  })
  .superRefine((field, ctx) => {
    let pattern: RegExp | undefined;
    if (field.pattern !== undefined) {
      try {
        pattern = new RegExp(field.pattern);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["pattern"], message: `Invalid regular expression: ${(error as Error).message}` });
      }
    }
    if (field.default !== undefined) {
      if (field.required) ctx.addIssue({ code: "custom", path: ["default"], message: "A required field cannot have a default" });
      if (field.secret) ctx.addIssue({ code: "custom", path: ["default"], message: "A secret field cannot have a default" });
      if (pattern !== undefined && !pattern.test(field.default)) {
        ctx.addIssue({ code: "custom", path: ["default"], message: "Default does not match pattern" });
      }
    }
  });
export type CredentialField = z.output<typeof CredentialFieldSchema>;

/**
 * How each API request is authenticated. OAuth connections always use `bearer` with their access
 * token; the other variants name credential fields, so they only apply to static credentials.
 */
export const ApiAuthSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("bearer"),
    /** Credential field holding the token for static credentials; absent means the OAuth access token. */
    field: snakeName.optional(),
  }),
  z.strictObject({
    type: z.literal("basic"),
    username_field: snakeName,
    /** Appended to the username, e.g. Zendesk's `/token` marker for API-token logins. */
    username_suffix: z.string().min(1).optional(),
    /** Field holding the password; exactly one of this and `password`. */
    password_field: snakeName.optional(),
    /** Fixed password for APIs that put the key in the username (Freshdesk wants `X`). */
    password: z.string().min(1).optional(),
  }),
  z.strictObject({
    type: z.literal("headers"),
    /** Header name → credential field; several for APIs wanting more than one key (Datadog). */
    headers: z.record(headerName, snakeName),
  }),
  z.strictObject({
    /** API keys some providers take in the query string (Trello's `key`/`token`): parameter name → credential field. */
    type: z.literal("query"),
    params: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), snakeName),
  }),
  z.strictObject({
    /**
     * Snowflake key-pair auth: a short-lived RS256 JWT (iss `ACCOUNT.USER.SHA256:<public key
     * fingerprint>`, sub `ACCOUNT.USER`) minted per request from the stored private key.
     */
    type: z.literal("snowflake_jwt"),
    account_field: snakeName,
    user_field: snakeName,
    private_key_field: snakeName,
    /** Field with the passphrase of an encrypted PKCS#8 key. */
    passphrase_field: snakeName.optional(),
  }),
]);
export type ApiAuth = z.output<typeof ApiAuthSchema>;

/**
 * A cheap, read-only request that tells whether static credentials work, made when an end user
 * submits the credential form so a typo is caught there rather than at the agent's first call.
 * Only safe methods: the check must never change anything at the provider.
 */
export const CredentialCheckSchema = z.strictObject({
  method: z.enum(["GET", "HEAD"]),
  /** Appended to the base URL like a tool path: starts with `/`, plain segments, no query. */
  path: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)+$/, "Must be an absolute path of plain segments (no query, no encoding)")
    .refine((path) => !path.split("/").some((segment) => segment === "." || segment === ".."), "Must not contain . or .. segments"),
  /**
   * Statuses meaning "these credentials work"; default any 2xx. Stripe lists 403 too: a
   * restricted key without read access to the checked resource is still a genuine key.
   */
  expect: z.array(z.number().int().min(100).max(599)).min(1).optional(),
});
export type CredentialCheck = z.output<typeof CredentialCheckSchema>;

/** Where tool calls go and how they are signed. */
export const ApiConfigSchema = z.strictObject({
  /**
   * Root that tool paths are appended to (no trailing slash). `{{name}}` variables come from
   * credential fields or from the account's `api_config` (Salesforce's `instance_url`, Atlassian's
   * `cloud_id`).
   */
  base_url: httpsUrl("endpoint").refine((url) => !url.endsWith("/"), "Must not end with a slash"),
  auth: ApiAuthSchema,
  /** Fixed, non-secret headers some APIs require on every call (Notion-Version, GitHub's API version). */
  headers: z.record(headerName, z.string().min(1)).default({}),
  /** Live check of static credentials; absent means they are accepted as typed. */
  check: CredentialCheckSchema.optional(),
});
export type ApiConfig = z.output<typeof ApiConfigSchema>;

/** One connector of the catalog: a provider and how to authenticate against it. */
export const ConnectorSchema = z
  .strictObject({
    /** Stable identifier used in URLs and connections; equals the file name. */
    key: z.string().regex(/^[a-z0-9]+$/, "Must be lowercase letters and digits only"),
    display_name: z.string().min(1),
    /** One sentence for humans browsing the catalog. */
    description: z.string().min(1),
    categories: z.array(CategorySchema).min(1),
    /** Supported credential kinds; the first is what a connection gets when it names none. */
    auth_types: z.array(AuthTypeSchema).min(1),
    /** The provider's own auth documentation, for whoever registers the OAuth app or finds the key. */
    docs_url: httpsUrl("page").optional(),
    /** Required exactly when `auth_types` includes OAUTH. */
    oauth: OAuthConfigSchema.optional(),
    /** The credential form; required exactly when `auth_types` includes a static kind. */
    fields: z.array(CredentialFieldSchema).min(1).optional(),
    api: ApiConfigSchema,
    /** Assumed access-token lifetime when the token response has no `expires_in` (Salesforce), so refresh still happens. */
    token_lifetime_seconds: z.number().int().positive().optional(),
  })
  .superRefine((connector, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });

    const duplicates = <T>(list: readonly T[], path: string) =>
      list.forEach((value, i) => {
        if (list.indexOf(value) !== i) issue([path, i], `Duplicate "${String(value)}"`);
      });
    duplicates(connector.categories, "categories");
    duplicates(connector.auth_types, "auth_types");

    const hasOAuth = connector.auth_types.includes("OAUTH");
    const staticTypes = connector.auth_types.filter((type) => type !== "OAUTH");
    if (hasOAuth && connector.oauth === undefined) issue(["oauth"], "Required: auth_types includes OAUTH");
    if (!hasOAuth && connector.oauth !== undefined) issue(["oauth"], "Only allowed when auth_types includes OAUTH");
    if (staticTypes.length > 0 && connector.fields === undefined) issue(["fields"], `Required: auth_types includes ${staticTypes.join(", ")}`);
    if (staticTypes.length === 0 && connector.fields !== undefined) issue(["fields"], "Only allowed with a static auth type");
    if (!hasOAuth && connector.token_lifetime_seconds !== undefined) issue(["token_lifetime_seconds"], "Only meaningful with OAUTH");

    const fields = new Map<string, CredentialField>();
    (connector.fields ?? []).forEach((field, i) => {
      if (fields.has(field.name)) issue(["fields", i, "name"], `Duplicate field "${field.name}"`);
      fields.set(field.name, field);
    });
    const fieldRef = (path: PropertyKey[], name: string | undefined) => {
      if (name !== undefined && !fields.has(name)) issue(path, `No credential field named "${name}"`);
    };

    const auth = connector.api.auth;
    const authPath = ["api", "auth"];
    const authHeaders: string[] = [];
    switch (auth.type) {
      case "bearer":
        if (auth.field === undefined) {
          if (!hasOAuth) issue([...authPath, "field"], "Required: without OAUTH the token must come from a credential field");
          if (staticTypes.length > 0) issue([...authPath, "field"], `Required: auth_types includes ${staticTypes.join(", ")}`);
        } else {
          fieldRef([...authPath, "field"], auth.field);
        }
        break;
      case "basic":
        fieldRef([...authPath, "username_field"], auth.username_field);
        fieldRef([...authPath, "password_field"], auth.password_field);
        if ((auth.password_field === undefined) === (auth.password === undefined)) {
          issue([...authPath, "password_field"], "Exactly one of password_field and password");
        }
        break;
      case "headers":
        if (Object.keys(auth.headers).length === 0) issue([...authPath, "headers"], "At least one header");
        for (const [header, field] of Object.entries(auth.headers)) {
          fieldRef([...authPath, "headers", header], field);
          authHeaders.push(header.toLowerCase());
        }
        break;
      case "query":
        if (Object.keys(auth.params).length === 0) issue([...authPath, "params"], "At least one parameter");
        for (const [param, field] of Object.entries(auth.params)) fieldRef([...authPath, "params", param], field);
        break;
      case "snowflake_jwt":
        fieldRef([...authPath, "account_field"], auth.account_field);
        fieldRef([...authPath, "user_field"], auth.user_field);
        fieldRef([...authPath, "private_key_field"], auth.private_key_field);
        fieldRef([...authPath, "passphrase_field"], auth.passphrase_field);
        break;
    }
    if (connector.api.check !== undefined && staticTypes.length === 0) {
      issue(["api", "check"], "Only for static auth types: OAuth tokens come from the provider and need no check");
    }
    if (hasOAuth && auth.type !== "bearer") issue([...authPath, "type"], "OAUTH connectors send their access token as a bearer token");

    for (const header of Object.keys(connector.api.headers)) {
      const lower = header.toLowerCase();
      if (lower === "authorization") issue(["api", "headers", header], "Authorization is set by api.auth");
      else if (authHeaders.includes(lower)) issue(["api", "headers", header], "Already set by api.auth");
    }

    // Base-URL variables become part of a host name, so a field feeding one must be constrained by
    // a pattern, must not be secret (URLs end up in logs) and must always have a value.
    for (const name of templateVariables(connector.api.base_url)) {
      const field = fields.get(name);
      if (field === undefined) {
        if (!hasOAuth) issue(["api", "base_url"], `Template variable "${name}" is not a credential field`);
        continue;
      }
      if (field.secret) issue(["api", "base_url"], `Template variable "${name}" is a secret field`);
      if (field.pattern === undefined) issue(["api", "base_url"], `Field "${name}" feeds the base URL and needs a pattern`);
      if (!field.required && field.default === undefined) issue(["api", "base_url"], `Field "${name}" feeds the base URL and needs to be required or have a default`);
    }
  });

/** A validated connector, as the catalog hands it out (defaults applied). */
export type Connector = z.output<typeof ConnectorSchema>;
/** A connector as written in its JSON file (defaulted fields optional). */
export type ConnectorInput = z.input<typeof ConnectorSchema>;
