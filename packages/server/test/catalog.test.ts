import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { fillTemplate, type Connector } from "../src/catalog/connector-schema.ts";
import { CatalogError, loadCatalog, type Catalog } from "../src/catalog/load-catalog.ts";

const REQUIRED_OAUTH = [
  "gmail", "googlecalendar", "googledrive", "googlesheets", "slack", "github", "gitlab", "jira", "confluence",
  "airtable", "zoominfo", "salesforce", "microsoft365", "notion", "hubspot", "linear", "asana", "dropbox", "zoom", "intercom",
];
const REQUIRED_STATIC = ["zendesk", "freshdesk", "datadog", "stripe", "sendgrid", "snowflake"];
/** Providers that take no scope parameter; everything else must request at least one scope. */
const APP_MANAGED_SCOPES = ["intercom", "notion", "zoom"];

function must(catalog: Catalog, key: string): Connector {
  const connector = catalog.get(key);
  assert.ok(connector, `catalog has no "${key}"`);
  return connector;
}

function oauthOf(connector: Connector): NonNullable<Connector["oauth"]> {
  assert.ok(connector.oauth, `${connector.key} has no oauth block`);
  return connector.oauth;
}

function fieldPattern(connector: Connector, name: string): RegExp {
  const field = connector.fields?.find((f) => f.name === name);
  assert.ok(field?.pattern, `${connector.key}.${name} has no pattern`);
  return new RegExp(field.pattern);
}

describe("the shipped catalog", () => {
  const catalog = loadCatalog();

  it("contains every required connector, sorted by key", () => {
    const keys = catalog.list().map((c) => c.key);
    for (const key of [...REQUIRED_OAUTH, ...REQUIRED_STATIC]) assert.ok(keys.includes(key), `missing connector "${key}"`);
    assert.deepEqual(keys, [...keys].sort());
    assert.equal(new Set(keys).size, keys.length);
    assert.equal(catalog.get("gmail")?.display_name, "Gmail");
    assert.equal(catalog.get("no-such-connector"), undefined);
  });

  it("is deep-frozen", () => {
    const gmail = must(catalog, "gmail");
    assert.throws(() => (oauthOf(gmail).default_scopes as string[]).push("x"), TypeError);
    assert.throws(() => {
      (gmail as { display_name: string }).display_name = "changed";
    }, TypeError);
    assert.throws(() => (catalog.list() as Connector[]).pop(), TypeError);
  });

  it("does not depend on the working directory", () => {
    const cwd = process.cwd();
    process.chdir(os.tmpdir());
    try {
      assert.ok(loadCatalog().get("gmail"));
    } finally {
      process.chdir(cwd);
    }
  });

  it("gives every OAuth connector https endpoints and default scopes", () => {
    for (const key of REQUIRED_OAUTH) {
      const connector = must(catalog, key);
      assert.equal(connector.auth_types[0], "OAUTH", key);
      const oauth = oauthOf(connector);
      for (const url of [oauth.authorize_url, oauth.token_url, oauth.revoke_url, oauth.userinfo_url]) {
        if (url === undefined) continue;
        assert.equal(new URL(fillTemplate(url, oauth.template_defaults)).protocol, "https:", `${key}: ${url}`);
      }
      if (APP_MANAGED_SCOPES.includes(key)) {
        assert.equal(oauth.app_managed_scopes, true, key);
        assert.deepEqual(oauth.default_scopes, [], key);
      } else {
        assert.equal(oauth.app_managed_scopes, false, key);
        assert.ok(oauth.default_scopes.length >= 1, `${key} has no default scope`);
        const available = oauth.available_scopes.map((s) => s.scope);
        for (const scope of oauth.default_scopes) assert.ok(available.includes(scope), `${key}: ${scope}`);
      }
      assert.equal(connector.fields, undefined, key);
      assert.deepEqual(connector.api.auth, { type: "bearer" }, key);
    }
  });

  it("gives every static connector a credential form and no OAuth block", () => {
    for (const key of REQUIRED_STATIC) {
      const connector = must(catalog, key);
      assert.equal(connector.oauth, undefined, key);
      assert.ok(connector.auth_types.every((t) => t !== "OAUTH"), key);
      assert.ok((connector.fields ?? []).some((f) => f.secret && f.required), `${key} has no required secret`);
    }
  });

  it("asks Google for offline access with re-consent", () => {
    for (const key of ["gmail", "googlecalendar", "googledrive", "googlesheets"]) {
      const oauth = oauthOf(must(catalog, key));
      assert.equal(oauth.authorize_url, "https://accounts.google.com/o/oauth2/v2/auth", key);
      assert.equal(oauth.token_url, "https://oauth2.googleapis.com/token", key);
      assert.equal(oauth.issuer, "https://accounts.google.com", key);
      assert.equal(oauth.authorize_params["access_type"], "offline", key);
      assert.equal(oauth.authorize_params["prompt"], "consent", key);
      assert.ok(oauth.default_scopes.every((s) => s.startsWith("https://www.googleapis.com/auth/")), key);
    }
    assert.equal(must(catalog, "gmail").api.base_url, "https://gmail.googleapis.com");
  });

  it("sends Atlassian's audience and reaches the site through its cloud id", () => {
    for (const [key, product] of [["jira", "jira"], ["confluence", "confluence"]] as const) {
      const connector = must(catalog, key);
      const oauth = oauthOf(connector);
      assert.equal(oauth.authorize_url, "https://auth.atlassian.com/authorize");
      assert.equal(oauth.token_url, "https://auth.atlassian.com/oauth/token");
      assert.equal(oauth.authorize_params["audience"], "api.atlassian.com");
      assert.equal(oauth.authorize_params["prompt"], "consent");
      assert.ok(oauth.default_scopes.includes("offline_access"), `${key} cannot refresh`);
      assert.equal(connector.api.base_url, `https://api.atlassian.com/ex/${product}/{{cloud_id}}`);
    }
  });

  it("uses each provider's documented endpoints and quirks", () => {
    const slack = oauthOf(must(catalog, "slack"));
    assert.equal(slack.authorize_url, "https://slack.com/oauth/v2/authorize");
    assert.equal(slack.token_url, "https://slack.com/api/oauth.v2.access");
    assert.equal(slack.scope_separator, ",");

    const github = oauthOf(must(catalog, "github"));
    assert.equal(github.authorize_url, "https://github.com/login/oauth/authorize");
    assert.equal(github.token_url, "https://github.com/login/oauth/access_token");
    assert.equal(github.scope_separator, " ");

    const microsoft = must(catalog, "microsoft365");
    const ms = oauthOf(microsoft);
    assert.equal(ms.authorize_url, "https://login.microsoftonline.com/{{tenant_id}}/oauth2/v2.0/authorize");
    assert.equal(fillTemplate(ms.token_url, ms.template_defaults), "https://login.microsoftonline.com/common/oauth2/v2.0/token");
    assert.ok(ms.default_scopes.includes("offline_access"));
    assert.equal(microsoft.api.base_url, "https://graph.microsoft.com");

    const salesforce = must(catalog, "salesforce");
    assert.equal(oauthOf(salesforce).authorize_url, "https://login.salesforce.com/services/oauth2/authorize");
    assert.equal(salesforce.api.base_url, "{{instance_url}}");
    assert.ok((salesforce.token_lifetime_seconds ?? 0) > 0, "salesforce sends no expires_in");
    assert.ok(oauthOf(salesforce).default_scopes.includes("refresh_token"));

    assert.equal(oauthOf(must(catalog, "dropbox")).authorize_params["token_access_type"], "offline");

    const notion = must(catalog, "notion");
    assert.equal(oauthOf(notion).authorize_url, "https://api.notion.com/v1/oauth/authorize");
    assert.equal(oauthOf(notion).authorize_params["owner"], "user");
    assert.equal(oauthOf(notion).token_auth_method, "client_secret_basic");
    assert.ok(notion.api.headers["Notion-Version"]);

    for (const key of ["airtable", "zoominfo"]) assert.equal(oauthOf(must(catalog, key)).pkce, true, `${key} requires PKCE`);
  });

  it("templates Zendesk's host and logs in with email/token + API token", () => {
    const zendesk = must(catalog, "zendesk");
    assert.deepEqual(zendesk.auth_types, ["API_KEY"]);
    assert.equal(zendesk.api.base_url, "https://{{domain}}.zendesk.com");
    assert.deepEqual(zendesk.fields?.map((f) => f.name), ["domain", "email", "api_token"]);
    assert.deepEqual(zendesk.fields?.map((f) => f.secret), [false, false, true]);
    assert.deepEqual(zendesk.api.auth, { type: "basic", username_field: "email", username_suffix: "/token", password_field: "api_token" });
    const domain = fieldPattern(zendesk, "domain");
    assert.ok(domain.test("acme"));
    assert.ok(!domain.test("evil.com/x"), "a subdomain must not be able to change the host");
  });

  it("describes Freshdesk, Datadog, Stripe, SendGrid and Snowflake credentials", () => {
    const freshdesk = must(catalog, "freshdesk");
    assert.deepEqual(freshdesk.auth_types, ["BASIC_AUTH"]);
    assert.equal(freshdesk.api.base_url, "https://{{domain}}.freshdesk.com");
    assert.deepEqual(freshdesk.api.auth, { type: "basic", username_field: "api_key", password: "X" });

    const datadog = must(catalog, "datadog");
    assert.equal(datadog.api.base_url, "https://api.{{site}}");
    assert.deepEqual(datadog.api.auth, { type: "headers", headers: { "DD-API-KEY": "api_key", "DD-APPLICATION-KEY": "application_key" } });
    const site = datadog.fields?.find((f) => f.name === "site");
    assert.equal(site?.default, "datadoghq.com");
    assert.ok(fieldPattern(datadog, "site").test("datadoghq.eu"));
    assert.ok(!fieldPattern(datadog, "site").test("attacker.example"));

    const stripe = must(catalog, "stripe");
    assert.deepEqual(stripe.auth_types, ["BEARER_TOKEN"]);
    assert.deepEqual(stripe.api.auth, { type: "bearer", field: "secret_key" });
    assert.ok(fieldPattern(stripe, "secret_key").test("sk_live_51Habc123"));
    assert.ok(!fieldPattern(stripe, "secret_key").test("pk_live_51Habc123"), "a publishable key is not a secret key");

    const sendgrid = must(catalog, "sendgrid");
    assert.deepEqual(sendgrid.auth_types, ["BEARER_TOKEN"]);
    assert.ok(fieldPattern(sendgrid, "api_key").test("SG.abc_DEF-1.xyz_UVW-2"));
    assert.ok(!fieldPattern(sendgrid, "api_key").test("abc.def"));

    const snowflake = must(catalog, "snowflake");
    assert.deepEqual(snowflake.auth_types, ["KEY_PAIR"]);
    assert.equal(snowflake.api.auth.type, "snowflake_jwt");
    const fields = new Map((snowflake.fields ?? []).map((f) => [f.name, f]));
    for (const name of ["account", "user", "private_key"]) assert.equal(fields.get(name)?.required, true, name);
    for (const name of ["role", "warehouse"]) assert.equal(fields.get(name)?.required, false, name);
    assert.equal(fields.get("private_key")?.secret, true);
    assert.ok(fieldPattern(snowflake, "private_key").test("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"));
  });
});

// ---------------------------------------------------------------------------------------------
// Failure cases, each written to its own temporary directory.

// Fixtures are mutated freely by the cases below, hence the loose type.
type Json = Record<string, any>;

function oauthConnector(key = "acme"): Json {
  return {
    key,
    display_name: "Acme",
    description: "A test connector.",
    categories: ["Productivity"],
    auth_types: ["OAUTH"],
    oauth: {
      authorize_url: "https://acme.example/oauth/authorize",
      token_url: "https://acme.example/oauth/token",
      default_scopes: ["read"],
      available_scopes: [{ scope: "read", description: "Read things." }],
      pkce: true,
      token_auth_method: "client_secret_post",
    },
    api: { base_url: "https://api.acme.example", auth: { type: "bearer" } },
  };
}

function staticConnector(key = "acme"): Json {
  return {
    key,
    display_name: "Acme",
    description: "A test connector.",
    categories: ["Customer Support"],
    auth_types: ["API_KEY"],
    fields: [
      { name: "domain", label: "Subdomain", secret: false, required: true, pattern: "^[a-z0-9-]+$" },
      { name: "api_key", label: "API key", secret: true, required: true },
    ],
    api: { base_url: "https://{{domain}}.acme.example", auth: { type: "bearer", field: "api_key" } },
  };
}

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (objects as JSON, strings verbatim) into a fresh directory. */
function writeCatalog(files: Record<string, Json | string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentgate-catalog-"));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

function catalogError(dir: string): CatalogError {
  try {
    loadCatalog(dir);
  } catch (error) {
    assert.ok(error instanceof CatalogError, `expected a CatalogError, got ${String(error)}`);
    return error;
  }
  assert.fail("loadCatalog accepted an invalid catalog");
}

/** Asserts the error message has the exact line `<file>: <field path>: <message>`. */
function assertLine(error: CatalogError, dir: string, file: string, fieldPath: string, message: string) {
  const line = `${path.join(dir, file)}: ${fieldPath}: ${message}`;
  assert.ok(error.message.split("\n").some((l) => l.trim() === line), `expected the line\n  ${line}\nin\n${error.message}`);
}

describe("a bad catalog file", () => {
  it("is not a false alarm: the fixtures themselves load", () => {
    const dir = writeCatalog({ "acme.json": oauthConnector(), "beta.json": staticConnector("beta") });
    assert.deepEqual(loadCatalog(dir).list().map((c) => c.key), ["acme", "beta"]);
  });

  it("fails on an unknown field, at the top and nested", () => {
    const connector = oauthConnector();
    connector["colour"] = "blue";
    connector["oauth"].pkce_mode = "S256";
    const dir = writeCatalog({ "acme.json": connector });
    const error = catalogError(dir);
    assertLine(error, dir, "acme.json", "colour", "Unknown field");
    assertLine(error, dir, "acme.json", "oauth.pkce_mode", "Unknown field");
  });

  it("fails on a bad URL and on a plain-http URL", () => {
    const connector = oauthConnector();
    connector["oauth"].token_url = "not a url";
    connector["oauth"].authorize_url = "http://acme.example/oauth/authorize";
    const dir = writeCatalog({ "acme.json": connector });
    const error = catalogError(dir);
    assertLine(error, dir, "acme.json", "oauth.token_url", "Invalid URL");
    assertLine(error, dir, "acme.json", "oauth.authorize_url", "URL must use https");
  });

  it("fails on a missing field, at the top and nested", () => {
    const connector = oauthConnector();
    delete connector["display_name"];
    delete connector["oauth"].token_url;
    const dir = writeCatalog({ "acme.json": connector });
    const error = catalogError(dir);
    assertLine(error, dir, "acme.json", "display_name", "Required");
    assertLine(error, dir, "acme.json", "oauth.token_url", "Required");
  });

  it("fails on invalid JSON, naming the file", () => {
    const dir = writeCatalog({ "acme.json": "{ \"key\": \"acme\", " });
    const error = catalogError(dir);
    assert.match(error.message, new RegExp(`${escape(path.join(dir, "acme.json"))}: Invalid JSON`));
    assert.equal(error.issues[0]?.path, "");
  });

  it("fails when the key differs from the file name", () => {
    const dir = writeCatalog({ "other.json": oauthConnector("acme") });
    const error = catalogError(dir);
    assertLine(error, dir, "other.json", "key", "\"acme\" must equal the file name \"other\"");
  });

  it("fails on an OAUTH connector without an oauth block, and a static one without fields", () => {
    const oauth = oauthConnector();
    delete oauth["oauth"];
    const fieldless = staticConnector("beta");
    delete fieldless["fields"];
    const dir = writeCatalog({ "acme.json": oauth, "beta.json": fieldless });
    const error = catalogError(dir);
    assertLine(error, dir, "acme.json", "oauth", "Required: auth_types includes OAUTH");
    assertLine(error, dir, "beta.json", "fields", "Required: auth_types includes API_KEY");
  });

  it("lists every issue of every bad file, with array indexes in the path", () => {
    const first = oauthConnector();
    first["categories"] = ["Productivity", "Gardening"];
    first["oauth"].default_scopes = ["read", "admin"];
    const second = staticConnector("beta");
    second["fields"][1].name = "API Key";
    second["api"].base_url = "https://{{domian}}.acme.example";
    const dir = writeCatalog({ "acme.json": first, "beta.json": second, "good.json": oauthConnector("good") });
    const error = catalogError(dir);
    assert.match(error.message, /^Invalid connector catalog \(\d+ problems\)/);
    assert.ok(
      error.message.includes(`${path.join(dir, "acme.json")}: categories[1]: Invalid option: expected one of "Communication"`),
      error.message,
    );
    assertLine(error, dir, "acme.json", "oauth.default_scopes[1]", "\"admin\" is not listed in available_scopes");
    assertLine(error, dir, "beta.json", "fields[1].name", "Must be snake_case: a-z, 0-9, _");
    assert.ok(error.issues.length >= 4, error.message);
    assert.ok(!error.message.includes("good.json"), "a valid file is not blamed");
  });

  it("fails on cross-field mistakes the type system cannot see", () => {
    const templated = oauthConnector();
    templated["oauth"].authorize_url = "https://login.acme.example/{{tenant}}/authorize";
    templated["oauth"].authorize_params = { state: "fixed", audience: "api" };
    const typo = staticConnector("beta");
    typo["api"].base_url = "https://{{domian}}.acme.example";
    typo["api"].auth = { type: "basic", username_field: "api_key", password_field: "password" };
    const dir = writeCatalog({ "acme.json": templated, "beta.json": typo });
    const error = catalogError(dir);
    assertLine(error, dir, "acme.json", "oauth.authorize_url", "Template variable \"tenant\" has no entry in template_defaults");
    assertLine(error, dir, "acme.json", "oauth.authorize_params.state", "Reserved: the authorization flow sets this itself");
    assertLine(error, dir, "beta.json", "api.base_url", "Template variable \"domian\" is not a credential field");
    assertLine(error, dir, "beta.json", "api.auth.password_field", "No credential field named \"password\"");
  });

  it("fails on a missing or empty directory, naming it", () => {
    const missing = path.join(os.tmpdir(), "agentgate-catalog-does-not-exist");
    assert.match(catalogError(missing).message, new RegExp(`${escape(missing)}: Cannot read catalog directory`));
    const empty = writeCatalog({});
    assert.match(catalogError(empty).message, new RegExp(`${escape(empty)}: No \\*\\.json connector files`));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
