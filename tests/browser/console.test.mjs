// End-to-end checks of the GraphiQL console served by a running Oppvekstgraf server.
//
//   OPPVEKSTGRAF_URL=http://127.0.0.1:8080 node --test tests/browser/console.test.mjs
//
// Needs Debian's Chromium at /usr/bin/chromium (or CHROMIUM_PATH) and `npm ci` in
// tests/browser. The server must have the seed content loaded (municipality 1539 = Rauma).
// Optional: CONSOLE_SCREENSHOT=/path/to/file.png saves a picture of the loaded console.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.OPPVEKSTGRAF_URL ?? '').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = process.env.CONSOLE_SCREENSHOT;

const TEST_TIMEOUT = 30_000; // per test, hard bound
const STEP_TIMEOUT = 15_000; // per wait inside a test

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Nothing leaves loopback: every other host name fails to resolve.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

const QUERY_EDITOR = '.graphiql-query-editor';
const RESPONSE = '.graphiql-response';

if (!BASE_URL) {
  throw new Error('Set OPPVEKSTGRAF_URL to the base URL of a running server, e.g. http://127.0.0.1:8080');
}

let browser;

before(async () => {
  assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  // launch() gives Chromium a fresh temporary profile; each test adds a fresh context.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: STEP_TIMEOUT,
  });
});

after(async () => {
  await browser?.close();
});

/**
 * Opens the console in a fresh context (no saved tabs, no localStorage) and
 * records everything that can go wrong on the page.
 */
async function openConsole() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  const problems = [];
  const workers = [];
  const requests = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('requestfailed', (req) =>
    problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`),
  );
  page.on('request', (req) => requests.push(req.url()));
  page.on('worker', (worker) => {
    workers.push(worker.url());
    worker.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`worker console.error (${worker.url()}): ${msg.text()}`);
    });
  });

  const response = await page.goto(`${BASE_URL}/graphiql`, { waitUntil: 'load' });
  assert.equal(response?.status(), 200, 'GET /graphiql status');
  await page.locator(`${QUERY_EDITOR} .monaco-editor`).waitFor({ state: 'visible' });
  await page.locator(`${QUERY_EDITOR} .view-lines`).waitFor({ state: 'visible' });

  return { context, page, problems, workers, requests };
}

/** Replaces the whole content of the query editor as if typed (one input event). */
async function setQuery(page, text) {
  const editor = page.locator(`${QUERY_EDITOR} .monaco-editor`);
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  // Monaco renders spaces as U+00A0.
  const want = text.replace(/\s+/g, ' ').trim();
  await page.waitForFunction(
    ([selector, expected]) => {
      const lines = document.querySelector(`${selector} .view-lines`);
      const got = (lines?.textContent ?? '').replace(/[\s\u00a0]+/g, ' ').trim();
      return got === expected;
    },
    [QUERY_EDITOR, want],
    { timeout: STEP_TIMEOUT },
  );
}

function assertNoProblems(problems) {
  assert.deepEqual(problems, [], `page reported problems:\n${problems.join('\n')}`);
}

describe('GraphiQL console', { timeout: TEST_TIMEOUT * 6 }, () => {
  test('loads without errors, shows the example tabs and starts a GraphQL worker', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems, workers, requests } = await openConsole();
    try {
      assert.equal(await page.title(), 'Oppvekstgraf – GraphQL-konsoll');

      // First visit: the three example tabs, titled by operation name.
      const tabs = page.locator('.graphiql-tab');
      await page.waitForFunction(() => document.querySelectorAll('.graphiql-tab').length === 3, null, {
        timeout: STEP_TIMEOUT,
      });
      const titles = (await tabs.allTextContents()).map((t) => t.trim());
      for (const name of ['RaumaTiltak', 'Forankring', 'FellesPlan']) {
        assert.ok(
          titles.some((t) => t.includes(name)),
          `expected a tab titled ${name}, got ${JSON.stringify(titles)}`,
        );
      }
      assert.match(await page.locator(`${QUERY_EDITOR} .view-lines`).textContent(), /RaumaTiltak/);

      // Sidebar: history and explorer plugins next to the docs.
      await page.locator('.graphiql-sidebar button[aria-label="Show History"]').waitFor();
      await page.locator('.graphiql-sidebar button[aria-label="Show GraphiQL Explorer"]').waitFor();

      // Monaco's GraphQL language worker is what gives validation and autocomplete.
      await waitUntil(() => workers.some((url) => /graphql[^/]*worker/i.test(url)), 'a GraphQL worker', () =>
        JSON.stringify(workers),
      );

      if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT });

      // Everything the page loaded came from this server, under /graphiql/ or /graphql.
      const origin = new URL(BASE_URL).origin;
      const foreign = requests.filter((u) => {
        if (u.startsWith('data:') || u.startsWith('blob:')) return false;
        const url = new URL(u);
        return url.origin !== origin || !(url.pathname.startsWith('/graphiql') || url.pathname === '/graphql');
      });
      assert.deepEqual(foreign, [], 'requests outside /graphiql/ and /graphql');

      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('runs a query and shows the result', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems } = await openConsole();
    try {
      await setQuery(page, '{ municipality(number: "1539") { name } }');
      await page.keyboard.press('ControlOrMeta+Enter');
      await waitForText(page, RESPONSE, [/"name":\s*"Rauma"/]);

      // Same again with the run button, after clearing the result.
      await setQuery(page, 'query Again { municipality(number: "1539") { number name } }');
      await page.locator('.graphiql-execute-button').click();
      await waitForText(page, RESPONSE, [/"number":\s*"1539"/, /"name":\s*"Rauma"/]);
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('passes the headers editor headers with the request', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems } = await openConsole();
    try {
      await setQuery(page, '{ municipality(number: "1539") { name } }');
      // Open the headers editor and fill it in.
      await page.locator('.graphiql-editor-tools button', { hasText: 'Headers' }).click();
      const headers = page.locator('.graphiql-editor-tool .monaco-editor').last();
      await headers.waitFor({ state: 'visible' });
      await headers.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText('{"Authorization": "Bearer console-test-token"}');

      const requestSeen = page.waitForRequest(
        (req) => req.url().endsWith('/graphql') && req.method() === 'POST' && /municipality/.test(req.postData() ?? ''),
        { timeout: STEP_TIMEOUT },
      );
      await page.locator('.graphiql-execute-button').click();
      const req = await requestSeen;
      assert.equal(req.headers()['authorization'], 'Bearer console-test-token');
      assert.match(req.headers()['content-type'] ?? '', /application\/json/);
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('suggests fields from the schema', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems, workers } = await openConsole();
    try {
      await waitUntil(() => workers.some((url) => /graphql[^/]*worker/i.test(url)), 'a GraphQL worker');
      await setQuery(page, '{ municipality(number: "1539") { na } }');
      // Cursor right after "na" (the list is virtualised: a prefix keeps "name" among the visible rows).
      await page.keyboard.press('End');
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
      const rows = page.locator(`${QUERY_EDITOR} .suggest-widget .monaco-list-row .label-name`);
      const deadline = Date.now() + STEP_TIMEOUT;
      let labels = [];
      // The schema may still be on its way: ask again until the fields show up.
      while (!labels.includes('name')) {
        if (Date.now() > deadline) assert.fail(`no completion "name"; saw ${JSON.stringify(labels)}`);
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+Space');
        await page.waitForTimeout(500);
        labels = (await rows.allTextContents()).map((l) => l.trim());
      }
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('marks an invalid document in the editor', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems, workers } = await openConsole();
    try {
      await waitUntil(() => workers.some((url) => /graphql[^/]*worker/i.test(url)), 'a GraphQL worker');
      const squiggles = page.locator(`${QUERY_EDITOR} .squiggly-error`);

      // A valid document first: no error marker once the schema is in and validation ran.
      await setQuery(page, '{ municipality(number: "1539") { name } }');
      await squiggles.first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT });

      await setQuery(page, '{ municipality(number: "1539") { noSuchField } }');
      await squiggles.first().waitFor({ state: 'attached', timeout: STEP_TIMEOUT });

      // The marker's message (F8 = go to next problem) names the field and the type,
      // so it came from validating against the server's schema.
      await page.keyboard.press('F8');
      const widget = page.locator(`${QUERY_EDITOR} .marker-widget`);
      await widget.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
      assert.match(
        ((await widget.textContent()) ?? '').replace(/\u00a0/g, ' '),
        /Cannot query field "noSuchField" on type "\w+"/,
      );
      await page.keyboard.press('Escape');

      // Fixing the document clears the marker again.
      await setQuery(page, '{ municipality(number: "1539") { name } }');
      await squiggles.first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

test('GET /graphql with Accept: text/html returns the console page', { timeout: TEST_TIMEOUT }, async () => {
  const res = await fetch(`${BASE_URL}/graphql`, {
    headers: { Accept: 'text/html' },
    signal: AbortSignal.timeout(STEP_TIMEOUT),
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  const body = await res.text();
  assert.match(body, /<title>Oppvekstgraf – GraphQL-konsoll<\/title>/);
  assert.match(body, /<script type="module"[^>]+src="\/graphiql\/assets\/[^"]+\.js"/);
});

test('GET /graphiql is the console page, under the CSP', { timeout: TEST_TIMEOUT }, async () => {
  const res = await fetch(`${BASE_URL}/graphiql`, { signal: AbortSignal.timeout(STEP_TIMEOUT) });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'(;|$)/, `CSP: ${csp}`);
  const body = await res.text();
  assert.doesNotMatch(body, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline scripts');

  // Every asset the page names is served from /graphiql/ with a fitting content type.
  const refs = [...body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(refs.length >= 2, `asset references: ${refs}`);
  for (const ref of refs) {
    assert.match(ref, /^\/graphiql\//, `asset outside /graphiql/: ${ref}`);
    const asset = await fetch(`${BASE_URL}${ref}`, { signal: AbortSignal.timeout(STEP_TIMEOUT) });
    assert.equal(asset.status, 200, ref);
    const type = asset.headers.get('content-type') ?? '';
    if (ref.endsWith('.js')) assert.match(type, /^text\/javascript/, `${ref}: ${type}`);
    if (ref.endsWith('.css')) assert.match(type, /^text\/css/, `${ref}: ${type}`);
    await asset.arrayBuffer();
  }
});

/** Waits until the text shown in `selector` matches every pattern; reports what it saw. */
async function waitForText(page, selector, patterns, timeout = STEP_TIMEOUT) {
  const deadline = Date.now() + timeout;
  let text = '';
  for (;;) {
    text = ((await page.locator(selector).first().textContent({ timeout })) ?? '').replace(/[\s\u00a0]+/g, ' ');
    if (patterns.every((p) => p.test(text))) return text;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${patterns.join(' and ')} in ${selector}; it shows: ${text.slice(0, 500)}`);
    await page.waitForTimeout(100);
  }
}

async function waitUntil(predicate, what, detail = () => '', timeout = STEP_TIMEOUT) {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what} ${detail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
