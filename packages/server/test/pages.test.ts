/**
 * Hosted pages: escaping, the CSP hash, page hygiene (no script, no third-party URL), the error
 * catalog (every code renders, AADSTS mapping, unknown fallback), the credential form's secret
 * handling, and that every docs anchor exists in docs/troubleshooting.md.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { Connector } from "../src/catalog/connector-schema.ts";
import { loadCatalog } from "../src/catalog/load-catalog.ts";
import { AADSTS_ERRORS, CONNECT_ERRORS, connectErrorJson, describeConnectError } from "../src/domain/auth-flows/connect-errors.ts";
import { renderCredentialForm, renderErrorPage, renderLinkLanding, renderSuccessPage } from "../src/pages/connect-pages.ts";
import { escapeHtml, html } from "../src/pages/html.ts";
import { buildCsp, PAGE_HEADERS, page, type Page } from "../src/pages/layout.ts";

const DOCS = "https://docs.agentgate.test/docs";
const XSS = `<script>alert(1)</script>`;
const catalog = loadCatalog();
const staticConnectors = catalog.list().filter((c) => c.fields !== undefined);

function must<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `missing ${what}`);
  return value;
}

/** The `<input>`/`<textarea>` tag for a field name. */
function controlTag(markup: string, name: string): string {
  return must(new RegExp(`<(?:input|textarea)[^>]*\\bname="${name}"[^>]*>`).exec(markup)?.[0], `control ${name}`);
}

/** GitHub's heading slugs: lower case, punctuation other than - and _ dropped, spaces to '-'. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

function allPages(): Array<[string, Page]> {
  const pages: Array<[string, Page]> = Object.keys(CONNECT_ERRORS).map((code) => [
    `error ${code}`,
    renderErrorPage({ code, description: XSS, ref: "req_123", docsUrl: DOCS }),
  ]);
  pages.push(["landing", renderLinkLanding({ connector: { key: "gmail", display_name: "Gmail" }, identifier: "u1", action: "/connect/l/1", csrfToken: "tok", providerOrigin: "https://accounts.google.com" })]);
  pages.push(["success", renderSuccessPage({ connectorDisplayName: "Gmail" })]);
  pages.push(["success (no name)", renderSuccessPage()]);
  for (const connector of staticConnectors) {
    pages.push([`form ${connector.key}`, renderCredentialForm({ connector, identifier: "u1", action: "/connect/l/1/credentials", csrfToken: "tok", values: {}, fieldErrors: {} })]);
  }
  return pages;
}

describe("html template", () => {
  it("escapes interpolated text, including quotes for attributes", () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&\``), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;");
    const value = `"><img src=x onerror=alert(1)>`;
    assert.equal(html`<input value="${value}">`.toString(), `<input value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">`);
    assert.equal(html`<p>${XSS}</p>`.toString(), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
  });

  it("keeps markup made by html, joins arrays, and renders nothing for false/null/undefined", () => {
    const items = ["a&b", "<c>"].map((x) => html`<li>${x}</li>`);
    assert.equal(html`<ul>${items}</ul>`.toString(), "<ul><li>a&amp;b</li><li>&lt;c&gt;</li></ul>");
    assert.equal(html`${false}${null}${undefined}${0}`.toString(), "0");
    assert.equal(html`${[XSS, html`<b>ok</b>`]}`.toString(), "&lt;script&gt;alert(1)&lt;/script&gt;<b>ok</b>");
  });

  it("escapes lookalike objects that were not produced by html", () => {
    const forged = { toString: () => XSS } as unknown as string;
    assert.equal(html`${forged}`.toString(), escapeHtml(XSS));
  });
});

describe("layout", () => {
  it("allows exactly the inline stylesheet by its sha256 hash", () => {
    const p = page({ status: 200, title: "T", body: html`<p>x</p>` });
    const css = must(/<style>([\s\S]*?)<\/style>/.exec(p.html)?.[1], "inline stylesheet");
    const hash = createHash("sha256").update(css, "utf8").digest("base64");
    assert.equal(
      p.csp,
      `default-src 'none'; style-src 'sha256-${hash}'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    assert.equal((p.html.match(/<style/g) ?? []).length, 1);
    assert.doesNotMatch(p.html, /style=/, "no inline style attributes (the hash does not cover them)");
  });

  it("adds form-action origins normalised, and refuses anything that is not an origin", () => {
    assert.match(buildCsp(["https://accounts.google.com/o/oauth2/auth", "https://accounts.google.com"]), /form-action 'self' https:\/\/accounts\.google\.com; /);
    for (const bad of ["*", "javascript:alert(1)", "not a url", "data:text/html,x"]) {
      assert.throws(() => buildCsp([bad]), /form-action origin/, bad);
    }
  });

  it("has an accessible shell and the constant security headers", () => {
    const p = page({ status: 200, title: `A "title" <x>`, body: html`` });
    assert.match(p.html, /^<!doctype html>\n<html lang="en">/);
    assert.match(p.html, /<title>A &quot;title&quot; &lt;x&gt; · Agentgate<\/title>/);
    assert.match(p.html, /<h1>A &quot;title&quot; &lt;x&gt;<\/h1>/);
    assert.deepEqual({ ...PAGE_HEADERS }, {
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "cross-origin-opener-policy": "same-origin",
      "content-type": "text/html; charset=utf-8",
    });
  });
});

describe("page hygiene", () => {
  for (const [name, p] of allPages()) {
    it(`${name}: no script, no event handler, no third-party URL, strict CSP`, () => {
      assert.doesNotMatch(p.html, /<script/i);
      assert.doesNotMatch(p.html, /\son[a-z]+=/i);
      const urls = p.html.match(/https?:\/\/[^\s"'<>]+/g) ?? [];
      for (const url of urls) assert.ok(url.startsWith(`${DOCS}/troubleshooting.md#`), `unexpected URL ${url}`);
      assert.match(p.csp, /^default-src 'none'; /);
      assert.match(p.csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(p.csp, /unsafe-inline|script-src/);
    });
  }
});

describe("error catalog", () => {
  it("renders every code with its status, title and docs link", () => {
    for (const [code, entry] of Object.entries(CONNECT_ERRORS)) {
      const p = renderErrorPage({ code, docsUrl: `${DOCS}/`, ref: "req_9" });
      assert.equal(p.status, entry.httpStatus, code);
      assert.ok(p.html.includes(`<h1>${escapeHtml(entry.title)}</h1>`), code);
      assert.ok(p.html.includes(escapeHtml(entry.fix)), code);
      assert.ok(p.html.includes(`href="${DOCS}/troubleshooting.md#${entry.docsAnchor}"`), code);
      assert.ok(p.html.includes("Reference: <code>req_9</code>"), code);
      assert.ok([400, 502].includes(entry.httpStatus), code);
    }
    assert.equal(CONNECT_ERRORS.server_error.httpStatus, 502);
    assert.equal(CONNECT_ERRORS.failed_to_exchange_token.httpStatus, 502);
    assert.equal(CONNECT_ERRORS.access_denied.httpStatus, 400);
  });

  it("shows a script-carrying description escaped, only in the developer block (ATK-06)", () => {
    const p = renderErrorPage({ code: "access_denied", description: XSS, ref: `"><b>`, docsUrl: DOCS });
    assert.ok(!p.html.includes(XSS));
    const details = must(/<details>[\s\S]*<\/details>/.exec(p.html)?.[0], "details block");
    assert.ok(details.includes(`<pre>${escapeHtml(XSS)}</pre>`));
    assert.ok(!p.html.replace(details, "").includes("alert(1)"), "description outside the developer block");
    assert.ok(p.html.includes("Reference: <code>&quot;&gt;&lt;b&gt;</code>"));
  });

  it("uses the exact session_expired wording and names the post-auth-hooks case", () => {
    assert.equal(
      CONNECT_ERRORS.session_expired.explanation,
      "Your verification session has expired or is no longer valid. Please close this window and restart the connection flow.",
    );
    const seed = describeConnectError("failed_to_exchange_token", "error = server_error, description = Error executing post auth hooks");
    assert.equal(seed.docsAnchor, "error-executing-post-auth-hooks");
    assert.equal(seed.httpStatus, 502);
    assert.match(describeConnectError("failed_to_exchange", "user_verify_url not configured for verification redirect").developerHint, /user_verify_url not configured for verification redirect/);
  });

  it("says which redirect URI was sent and that it must match exactly", () => {
    const uri = `https://gw.example/connect/callback/conn_1?x="<y>`;
    const info = describeConnectError("redirect_uri_mismatch", undefined, { redirect_uri: uri });
    assert.match(info.developerHint, /The redirect URI sent was https:\/\/gw\.example\/connect\/callback\/conn_1/);
    assert.match(info.developerHint, /must match .* exactly/);
    assert.ok(info.fix.includes(uri));
    const p = renderErrorPage({ code: "redirect_uri_mismatch", docsUrl: DOCS, details: { redirect_uri: uri } });
    assert.ok(p.html.includes(`<code>${escapeHtml(uri)}</code>`));
    assert.ok(!p.html.includes(`href="https://gw.example`), "the URI is text, not a link");
  });

  it("maps AADSTS codes found in the description", () => {
    for (const [number, entry] of Object.entries(AADSTS_ERRORS)) {
      const info = describeConnectError("invalid_client", `AADSTS${number}: Something. Trace ID: 1`);
      assert.equal(info.aadsts, `AADSTS${number}`);
      assert.equal(info.docsAnchor, entry.docsAnchor);
      assert.equal(info.fix, entry.fix);
      assert.equal(info.httpStatus, CONNECT_ERRORS.invalid_client.httpStatus);
    }
    for (const number of ["65001", "50020", "50011", "700016", "7000215", "7000222", "90094", "50076", "50079", "53003"]) {
      assert.ok(AADSTS_ERRORS[number], `AADSTS${number} mapped`);
    }
    const consent = renderErrorPage({ code: "consent_required", description: "AADSTS65001: The user or administrator has not consented", docsUrl: DOCS });
    assert.ok(consent.html.includes("#aadsts65001-consent-not-granted"));
    assert.ok(consent.html.includes("<code>AADSTS65001</code>"));
    const other = describeConnectError("server_error", "AADSTS9999999: new thing");
    assert.equal(other.docsAnchor, "other-microsoft-aadsts-errors");
    assert.equal(other.title, CONNECT_ERRORS.server_error.title);
  });

  it("falls back to unknown for unknown, hostile and prototype codes", () => {
    const info = describeConnectError("Provider_Specific.err");
    assert.equal(info.code, "unknown");
    assert.equal(info.receivedCode, "Provider_Specific.err");
    assert.equal(info.title, CONNECT_ERRORS.unknown.title);
    for (const code of ["__proto__", "constructor", "toString", "hasOwnProperty", "", " ", "x".repeat(10_000)]) {
      assert.equal(describeConnectError(code).code, "unknown", JSON.stringify(code.slice(0, 20)));
    }
    assert.equal(describeConnectError(XSS).receivedCode, undefined);
    const p = renderErrorPage({ code: XSS, description: "\u202eevil\u0000", docsUrl: "javascript:alert(1)" });
    assert.equal(p.status, 400);
    assert.ok(!p.html.includes("<script>"));
    assert.ok(!p.html.includes("javascript:"), "a non-http docs base is not linked");
    assert.ok(p.html.includes("<pre>evil</pre>"), "control and bidi characters stripped");
    assert.equal(describeConnectError("ACCESS_DENIED").code, "access_denied");
  });

  it("caps long descriptions and answers the same content as JSON", () => {
    const info = describeConnectError("server_error", "a".repeat(5000));
    assert.ok((info.providerDescription ?? "").length <= 1001);
    const body = connectErrorJson(describeConnectError("invalid_scope", XSS), { ref: "req_1", docsUrl: DOCS });
    assert.equal(body.error.code, "invalid_scope");
    assert.equal(body.error.details.provider_description, XSS, "JSON carries the raw text; JSON is not rendered as HTML");
    assert.equal(body.error.details.docs_url, `${DOCS}/troubleshooting.md#invalid_scope`);
    assert.equal(body.error.details.ref, "req_1");
  });
});

describe("link landing page", () => {
  it("posts once to the same origin with the CSRF token and allows the provider in form-action", () => {
    const p = renderLinkLanding({
      connector: { key: "gmail", display_name: "Gmail" },
      identifier: `o'brien" onfocus="x`,
      action: "/connect/links/abc",
      csrfToken: `t"<`,
      providerOrigin: "https://accounts.google.com",
    });
    assert.equal(p.status, 200);
    assert.ok(p.html.includes("<h1>Connect your Gmail account</h1>"));
    assert.ok(p.html.includes('<form method="post" action="/connect/links/abc">'));
    assert.ok(p.html.includes('<input type="hidden" name="csrf_token" value="t&quot;&lt;">'));
    assert.ok(p.html.includes(">Continue to Gmail</button>"));
    assert.ok(p.html.includes("<code>o&#39;brien&quot; onfocus=&quot;x</code>"));
    assert.match(p.csp, /form-action 'self' https:\/\/accounts\.google\.com;/);
    assert.equal((p.html.match(/<form/g) ?? []).length, 1);
  });

  it("refuses a form action that is not a same-origin path", () => {
    for (const action of ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/a b"]) {
      assert.throws(
        () => renderLinkLanding({ connector: { key: "gmail", display_name: "Gmail" }, identifier: "u", action, csrfToken: "t", providerOrigin: "https://accounts.google.com" }),
        /same-origin path/,
        action,
      );
    }
  });
});

describe("credential form", () => {
  const snowflake = must(catalog.get("snowflake"), "snowflake connector");

  it("never puts a secret into the page, even when the submitted values hold one", () => {
    for (const connector of staticConnectors) {
      const fields = connector.fields ?? [];
      const values = Object.fromEntries(fields.map((f) => [f.name, `CANARY_${f.name}_<x>`]));
      const p = renderCredentialForm({ connector, identifier: "u1", action: "/c", csrfToken: "t", values, fieldErrors: {} });
      for (const field of fields) {
        const tag = controlTag(p.html, field.name);
        if (field.secret) {
          assert.doesNotMatch(tag, /\svalue=/, `${connector.key}.${field.name} carries a value`);
          assert.match(tag, /autocomplete="off"/);
          assert.ok(!p.html.includes(`CANARY_${field.name}`), `${connector.key}.${field.name} echoed`);
          if (tag.startsWith("<input")) assert.match(tag, /type="password"/);
        } else {
          assert.ok(p.html.includes(`CANARY_${field.name}_&lt;x&gt;`), `${connector.key}.${field.name} re-filled, escaped`);
        }
        assert.ok(p.html.includes(`<label for="field-${field.name}">${escapeHtml(field.label)}`));
        if (field.required) assert.match(tag, /\srequired/);
      }
    }
  });

  it("shows per-field and form errors, defaults, hints, and answers 400 when re-rendered with errors", () => {
    const datadog = must(catalog.get("datadog"), "datadog connector");
    const site = must(datadog.fields?.find((f) => f.default !== undefined), "a field with a default");
    const fresh = renderCredentialForm({ connector: datadog, identifier: "u1", action: "/c", csrfToken: "t", values: {}, fieldErrors: {} });
    assert.equal(fresh.status, 200);
    assert.match(controlTag(fresh.html, site.name), new RegExp(`value="${escapeHtml(site.default ?? "")}"`));
    const p = renderCredentialForm({
      connector: snowflake,
      identifier: "u1",
      action: "/c",
      csrfToken: "t",
      values: { account: "" },
      fieldErrors: { account: `Must look like <org>-<account>`, nope: "ignored" },
      formError: "Snowflake rejected these credentials.",
    });
    assert.equal(p.status, 400);
    assert.ok(p.html.includes('<p class="error" role="alert">Snowflake rejected these credentials.</p>'));
    assert.ok(p.html.includes('<p class="error" id="field-account-error">Must look like &lt;org&gt;-&lt;account&gt;</p>'));
    assert.match(controlTag(p.html, "account"), /aria-invalid="true"/);
    assert.match(controlTag(p.html, "account"), /aria-describedby="field-account-hint field-account-error"/);
    assert.ok(!p.html.includes("ignored"));
    assert.ok(p.html.includes('<input type="hidden" name="csrf_token" value="t">'));
    assert.match(controlTag(p.html, "private_key"), /^<textarea/, "PEM keys need line breaks");
  });

  it("emits a pattern attribute only when a browser compiles it the same way", () => {
    for (const connector of staticConnectors) {
      const p = renderCredentialForm({ connector, identifier: "u", action: "/c", csrfToken: "t", values: {}, fieldErrors: {} });
      for (const match of p.html.matchAll(/pattern="([^"]*)"/g)) {
        const source = (match[1] ?? "").replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
        assert.doesNotThrow(() => new RegExp(`^(?:${source})$`, "v"), `${connector.key}: ${source}`);
      }
    }
  });

  it("refuses a connector without credential fields", () => {
    const gmail = must(catalog.get("gmail"), "gmail connector") as Connector;
    assert.throws(() => renderCredentialForm({ connector: gmail, identifier: "u", action: "/c", csrfToken: "t", values: {}, fieldErrors: {} }), /no credential fields/);
  });
});

describe("success page", () => {
  it("ends the flow in plain words", () => {
    const p = renderSuccessPage({ connectorDisplayName: "<Gmail>" });
    assert.equal(p.status, 200);
    assert.ok(p.html.includes("<h1>Connected</h1>"));
    assert.ok(p.html.includes("Your &lt;Gmail&gt; account is connected. You can close this window."));
  });
});

describe("docs/troubleshooting.md", () => {
  const markdown = readFileSync(new URL("../../../docs/troubleshooting.md", import.meta.url), "utf8");
  const slugs = new Set([...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1] ?? "")));

  it("has a heading for every docsAnchor the error page links", () => {
    const anchors = new Set<string>([
      ...Object.values(CONNECT_ERRORS).map((e) => e.docsAnchor),
      ...Object.values(AADSTS_ERRORS).map((e) => e.docsAnchor),
      describeConnectError("failed_to_exchange_token", "Error executing post auth hooks").docsAnchor,
      describeConnectError("server_error", "AADSTS1234567: x").docsAnchor,
    ]);
    for (const anchor of anchors) assert.ok(slugs.has(anchor), `no heading with slug "${anchor}"`);
  });

  it("covers every seed scenario", () => {
    for (const needed of [
      "pending_auth", "pending_verification", "active", "expired", "disconnected",
      "google-access-blocked-app-has-not-completed-verification", "google-this-app-isnt-verified",
      "slack-app-not-approved-for-the-workspace", "blank-tokens-on-a-connected-account",
    ]) {
      assert.ok(slugs.has(needed), `no section "${needed}"`);
    }
    assert.match(markdown, /PATCH \/api\/v1\/settings|"token_retrieval_enabled": true/);
    assert.match(markdown, /token_access_disabled/);
    assert.match(markdown, /user_verify_url not configured for verification redirect/);
    assert.match(markdown, /started in another browser/);
  });
});
