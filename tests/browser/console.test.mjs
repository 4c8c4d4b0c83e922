// End-to-end checks of the GraphiQL console served by a running Oppvekstgraf server.
//
//   OPPVEKSTGRAF_URL=http://127.0.0.1:8080 \
//   OPPVEKSTGRAF_TOKEN=$(oppvekstgraf token create --municipality 1539 --role editor --name Konsolltest) \
//   node --test tests/browser/console.test.mjs
//
// Needs Debian's Chromium at /usr/bin/chromium (or CHROMIUM_PATH) and `npm ci` in
// tests/browser. The server must have the seed content loaded (municipality 1539 = Rauma),
// and OPPVEKSTGRAF_TOKEN must be an editor token for Rauma on that server's database
// (the editing tests create draft plans with it; the subscription tests create measures in
// Rauma's action plan over HTTP, publish one, and watch the events arrive over /graphql/ws).
// Optional: CONSOLE_SCREENSHOT=/path/to/file.png saves a picture of the loaded console,
// CONSOLE_SIGNED_IN_SCREENSHOT=/path/to/file.png one of the signed-in console after a mutation.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.OPPVEKSTGRAF_URL ?? '').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = process.env.CONSOLE_SCREENSHOT;
const SIGNED_IN_SCREENSHOT = process.env.CONSOLE_SIGNED_IN_SCREENSHOT;
const TOKEN = (process.env.OPPVEKSTGRAF_TOKEN ?? '').trim();

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
const TOKEN_BAR = '.token-bar';
const INVALID_TOKEN_MESSAGE = 'Tokenet er ugyldig, utløpt eller trukket tilbake';
// What Chromium logs for any request answered with 401; expected only where a test
// sends a bad token on purpose.
const CONSOLE_401 = 'console.error: Failed to load resource: the server responded with a status of 401 (Unauthorized)';
// A token of the right shape that no server has issued.
const BOGUS_TOKEN = `ogt_${'0'.repeat(32)}_${'A'.repeat(43)}`;
// Titles of plans made by this run are unique, so the run works against a database
// that earlier runs wrote to.
const RUN_ID = Math.random().toString(16).slice(2, 10);

if (!BASE_URL) {
  throw new Error('Set OPPVEKSTGRAF_URL to the base URL of a running server, e.g. http://127.0.0.1:8080');
}
if (!TOKEN) {
  throw new Error(
    'Set OPPVEKSTGRAF_TOKEN to an editor token for municipality 1539 on the same database as the server: ' +
      'OPPVEKSTGRAF_TOKEN=$(DATABASE_URL=... oppvekstgraf token create --municipality 1539 --role editor --name Konsolltest)',
  );
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
 * Opens the console in a fresh context (no saved tabs, no localStorage but `storage`'s
 * entries) and records everything that can go wrong on the page.
 */
async function openConsole({ storage } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(STEP_TIMEOUT);
  if (storage) {
    await context.addInitScript((entries) => {
      for (const [key, value] of Object.entries(entries)) localStorage.setItem(key, value);
    }, storage);
  }
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
  // WebSockets (subscriptions): their URL and the JSON messages each way.
  const sockets = [];
  page.on('websocket', (ws) => {
    const socket = { url: ws.url(), sent: [], received: [], closed: false };
    sockets.push(socket);
    requests.push(ws.url());
    ws.on('framesent', (frame) => socket.sent.push(parseFrame(frame.payload)));
    ws.on('framereceived', (frame) => socket.received.push(parseFrame(frame.payload)));
    ws.on('socketerror', (err) => problems.push(`websocket error (${ws.url()}): ${err}`));
    ws.on('close', () => {
      socket.closed = true;
    });
  });
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

  return { context, page, problems, workers, requests, sockets };
}

function parseFrame(payload) {
  try {
    return JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch {
    return { unparsed: String(payload) };
  }
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

/**
 * No page errors, console errors or failed requests. `allow401` lets Chromium's 401 log
 * line through; `allowAbortedAssets` an asset of the console whose loading was cancelled:
 * by a reload (a worker script, the icon font), or because GraphiQL restarts Monaco's
 * GraphQL worker whenever the schema changes and a worker disposed while its script is
 * still loading shows up as an aborted request.
 */
function assertNoProblems(problems, { allow401 = false, allowAbortedAssets = false } = {}) {
  const abortedAsset = new RegExp(
    `^request failed: GET ${escapeRegExp(BASE_URL)}/graphiql/assets/[\\w.-]+ \\(net::ERR_ABORTED\\)$`,
  );
  const unexpected = problems.filter(
    (p) => !(allow401 && p === CONSOLE_401) && !(allowAbortedAssets && abortedAsset.test(p)),
  );
  assert.deepEqual(unexpected, [], `page reported problems:\n${unexpected.join('\n')}`);
}

describe('GraphiQL console', { timeout: TEST_TIMEOUT * 6 }, () => {
  test('loads without errors, shows the example tabs and starts a GraphQL worker', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems, workers, requests } = await openConsole();
    try {
      assert.equal(await page.title(), 'Oppvekstgraf – GraphQL-konsoll');

      // First visit: the six example tabs, titled by operation name.
      const tabs = page.locator('.graphiql-tab');
      await page.waitForFunction(() => document.querySelectorAll('.graphiql-tab').length === 6, null, {
        timeout: STEP_TIMEOUT,
      });
      const titles = (await tabs.allTextContents()).map((t) => t.trim());
      for (const name of ['RaumaTiltak', 'Forankring', 'FellesPlan', 'NyPlan', 'Endringer', 'Endringslogg']) {
        assert.ok(
          titles.some((t) => t.includes(name)),
          `expected a tab titled ${name}, got ${JSON.stringify(titles)}`,
        );
      }
      assert.match(await page.locator(`${QUERY_EDITOR} .view-lines`).textContent(), /RaumaTiltak/);

      // Sidebar: history and explorer plugins next to the docs.
      await page.locator('.graphiql-sidebar button[aria-label="Show History"]').waitFor();
      await page.locator('.graphiql-sidebar button[aria-label="Show GraphiQL Explorer"]').waitFor();

      // The token bar, signed out on a first visit.
      await page.locator(`${TOKEN_BAR}[data-state="signed-out"]`).waitFor();
      assert.equal(await page.getByLabel('API-token').getAttribute('type'), 'password');
      assert.equal((await page.locator('.token-bar-status').textContent()).trim(), 'Ikke innlogget');
      assert.ok(await page.getByRole('button', { name: 'Logg ut' }).isDisabled(), 'Logg ut while signed out');
      assert.ok(await page.getByLabel('Forhåndsvisning (utkast)').isDisabled(), 'preview box while signed out');

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
      // The server knows no such token: 401, shown in the result pane and in the bar.
      await waitForText(page, RESPONSE, [/UNAUTHENTICATED/]);
      await waitForText(page, '.token-bar-message', [/Headers-fanen/]);
      assertNoProblems(problems, { allow401: true });
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

describe('GraphiQL console: editing with an API token', { timeout: TEST_TIMEOUT * 5 }, () => {
  const title = `Ny temaplan (utkast) ${RUN_ID}`;
  // One line: typed newlines get Monaco's auto-indent and auto-closed braces.
  const planCreate = (planTitle) =>
    `mutation NyPlan { planCreate(input: { title: "${planTitle}", kind: THEMATIC_PLAN }) ` +
    '{ plan { id title status owners { nodes { name } } } revision { action actorName } } }';

  test('signs in, runs a mutation, and remembers the token across a reload', { timeout: TEST_TIMEOUT }, async () => {
    const session = await openConsole();
    const { context, page, problems } = session;
    try {
      await signIn(page, TOKEN);
      assert.match(await page.locator('.token-bar-status').textContent(), /^Innlogget/);
      assert.equal(await page.getByLabel('API-token').inputValue(), '', 'the input is emptied after sign-in');
      assert.ok(await page.getByLabel('Forhåndsvisning (utkast)').isEnabled(), 'preview box while signed in');

      await setQuery(page, planCreate(title));
      const sent = waitForGraphQLRequest(page, /planCreate/);
      await page.locator('.graphiql-execute-button').click();
      const req = await sent;
      assert.equal(req.headers()['authorization'], `Bearer ${TOKEN}`);
      assert.equal(req.headers()['x-preview'], undefined, 'no x-preview unless the box is checked');
      await waitForText(page, RESPONSE, [
        /"status": "DRAFT"/,
        new RegExp(`"title": "${escapeRegExp(title)}"`),
        /"action": "CREATE"/,
        /"name": "Rauma"/,
      ]);
      if (SIGNED_IN_SCREENSHOT) {
        await page.locator('.graphiql-toolbar button[aria-label^="Prettify"]').click();
        await page.waitForFunction((sel) => document.querySelectorAll(sel).length > 5, `${QUERY_EDITOR} .view-line`);
        await page.screenshot({ path: SIGNED_IN_SCREENSHOT });
      }

      // (a) The token is kept in localStorage: still signed in after a reload, and the
      // schema introspection of the new page carries it too.
      assertNoProblems(problems);
      problems.length = 0;
      const reintrospection = waitForGraphQLRequest(page, /IntrospectionQuery/);
      await reloadConsole(session);
      assert.equal((await reintrospection).headers()['authorization'], `Bearer ${TOKEN}`, 'introspection after reload');
      await page.locator(`${TOKEN_BAR}[data-state="signed-in"]`).waitFor();
      assert.match(await page.locator('.token-bar-status').textContent(), /^Innlogget/);
      assertNoProblems(problems, { allowAbortedAssets: true });
    } finally {
      await context.close();
    }
  });

  test('shows the token\'s drafts only with the preview box checked', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems } = await openConsole();
    try {
      const draft = `Ny temaplan (utkast) ${RUN_ID}-forhåndsvisning`;
      await signIn(page, TOKEN);
      await setQuery(page, planCreate(draft));
      await page.locator('.graphiql-execute-button').click();
      await waitForText(page, RESPONSE, [/"status": "DRAFT"/, /"action": "CREATE"/]);

      // (b) Checked: x-preview goes along and the draft counts.
      const count = `{ plans(filter: { search: "${draft}" }) { totalCount } }`;
      await page.getByLabel('Forhåndsvisning (utkast)').check();
      await setQuery(page, count);
      let sent = waitForGraphQLRequest(page, /totalCount/);
      await page.locator('.graphiql-execute-button').click();
      assert.equal((await sent).headers()['x-preview'], 'true');
      await waitForText(page, RESPONSE, [/"totalCount": 1\b/]);

      // Unchecked: the same token, no x-preview, no drafts.
      await page.getByLabel('Forhåndsvisning (utkast)').uncheck();
      sent = waitForGraphQLRequest(page, /totalCount/);
      await page.locator('.graphiql-execute-button').click();
      const req = await sent;
      assert.equal(req.headers()['x-preview'], undefined);
      assert.equal(req.headers()['authorization'], `Bearer ${TOKEN}`);
      await waitForText(page, RESPONSE, [/"totalCount": 0\b/]);
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('the token bar\'s Authorization wins over the headers editor\'s; other headers still go', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems } = await openConsole();
    try {
      await signIn(page, TOKEN);
      await setQuery(page, '{ municipality(number: "1539") { name } }');
      await page.locator('.graphiql-editor-tools button', { hasText: 'Headers' }).click();
      const headers = page.locator('.graphiql-editor-tool .monaco-editor').last();
      await headers.waitFor({ state: 'visible' });
      await headers.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText('{"authorization": "Bearer from-the-editor", "X-Console-Test": "ja"}');
      const sent = waitForGraphQLRequest(page, /municipality/);
      await page.locator('.graphiql-execute-button').click();
      const req = await sent;
      assert.equal(req.headers()['authorization'], `Bearer ${TOKEN}`);
      assert.equal(req.headers()['x-console-test'], 'ja');
      await waitForText(page, RESPONSE, [/"name": "Rauma"/]);
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('signed out, the example mutation is refused with UNAUTHENTICATED', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems } = await openConsole();
    try {
      await signIn(page, TOKEN);
      // (c) Sign out: the token is gone from the bar and from storage.
      await page.getByRole('button', { name: 'Logg ut' }).click();
      await page.locator(`${TOKEN_BAR}[data-state="signed-out"]`).waitFor();
      assert.equal((await page.locator('.token-bar-status').textContent()).trim(), 'Ikke innlogget');
      assert.equal(await page.evaluate(() => localStorage.getItem('oppvekstgraf:token')), null);

      // The example tab's mutation, as shipped.
      await page.locator('.graphiql-tab', { hasText: 'NyPlan' }).click();
      await waitForText(page, `${QUERY_EDITOR} .view-lines`, [/oppvekstgraf token create/, /mutation NyPlan/]);
      const sent = waitForGraphQLRequest(page, /planCreate/);
      await page.locator('.graphiql-execute-button').click();
      assert.equal((await sent).headers()['authorization'], undefined);
      await waitForText(page, RESPONSE, [/"code": "UNAUTHENTICATED"/, /"planCreate": null|"data": null/]);
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('a bad token is refused at sign-in, and a stored one that stops working is flagged', { timeout: TEST_TIMEOUT }, async () => {
    const session = await openConsole();
    const { context, page, problems } = session;
    try {
      // (d) The server does not know this token: not stored, the bar says why.
      await signIn(page, BOGUS_TOKEN, 'signed-out');
      await waitForText(page, '.token-bar-message', [new RegExp(INVALID_TOKEN_MESSAGE)]);
      assert.equal((await page.locator('.token-bar-status').textContent()).trim(), 'Ikke innlogget');
      assert.equal(await page.evaluate(() => localStorage.getItem('oppvekstgraf:token')), null);

      // A remembered token the server has since revoked: the first request after the
      // reload gets 401, the bar flags it, and a query shows the error in the result pane.
      await page.evaluate((t) => localStorage.setItem('oppvekstgraf:token', t), BOGUS_TOKEN);
      assertNoProblems(problems, { allow401: true });
      problems.length = 0;
      await reloadConsole(session);
      await page.locator(`${TOKEN_BAR}[data-state="rejected"]`).waitFor();
      await waitForText(page, '.token-bar-message', [new RegExp(INVALID_TOKEN_MESSAGE)]);
      await setQuery(page, '{ municipality(number: "1539") { name } }');
      await page.locator('.graphiql-execute-button').click();
      await waitForText(page, RESPONSE, [/"code": "UNAUTHENTICATED"/]);

      // Signing in with the real token replaces it, and GraphiQL tries the schema again, with it.
      const introspection = waitForGraphQLRequest(page, /IntrospectionQuery/);
      await signIn(page, TOKEN);
      assert.equal((await introspection).headers()['authorization'], `Bearer ${TOKEN}`, 'schema fetched again');
      await page.locator('.graphiql-execute-button').click();
      await waitForText(page, RESPONSE, [/"name": "Rauma"/]);
      assert.equal(await page.locator('.token-bar-message').count(), 0, 'no message once signed in');
      // The reload, and the schema arriving late, may cancel a worker script (see assertNoProblems).
      assertNoProblems(problems, { allow401: true, allowAbortedAssets: true });
    } finally {
      await context.close();
    }
  });
});

describe('GraphiQL console: subscriptions', { timeout: TEST_TIMEOUT * 4 }, () => {
  const EXECUTE = '.graphiql-execute-button';

  test('the subscription tab shows a change made over HTTP as it commits', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems, requests, sockets } = await openConsole();
    try {
      // The measure will be a draft: the token's own drafts need the preview box.
      await signIn(page, TOKEN);
      await page.getByLabel('Forhåndsvisning (utkast)').check();
      await openTab(page, 'Endringer', [/subscription Endringer/, /nodeVersion/, /on Measure/]);
      await page.locator(EXECUTE).click();

      // One WebSocket to /graphql/ws on the page's own host; the token bar goes in connection_init.
      const socket = await waitForSubscribe(sockets, 0);
      assert.equal(socket.url, `${BASE_URL.replace(/^http/, 'ws')}/graphql/ws`);
      assert.deepEqual(connectionInit(socket), { authorization: `Bearer ${TOKEN}`, preview: true });
      assert.match(subscribeMessage(socket).payload.query, /subscription Endringer/);
      assert.ok(
        socket.received.some((m) => m.type === 'connection_ack'),
        `connection acknowledged: ${JSON.stringify(socket.received)}`,
      );

      // A change over HTTP, from outside the page: the result pane shows its event.
      const { title } = await createUntilSeen(page, `Abonnement ${RUN_ID}`);
      const shown = await waitForText(page, RESPONSE, [/"action": "CREATE"/, /"nodeType": "Measure"/, /"status": "DRAFT"/]);
      assert.match(shown, new RegExp(`"title": "${escapeRegExp(title)}"`));

      // Stopping ends the subscription and closes the socket.
      await page.locator(EXECUTE).click();
      await waitUntil(() => socket.closed, 'the WebSocket to close after stop');

      assert.deepEqual(
        requests.filter((u) => !isLoopback(u)),
        [],
        'requests to hosts other than loopback',
      );
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('a running subscription reconnects when the token bar changes', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems, requests, sockets } = await openConsole();
    try {
      await signIn(page, TOKEN);
      await page.getByLabel('Forhåndsvisning (utkast)').check();
      await openTab(page, 'Endringer', [/subscription Endringer/]);
      await page.locator(EXECUTE).click();
      const first = await waitForSubscribe(sockets, 0);
      assert.deepEqual(connectionInit(first), { authorization: `Bearer ${TOKEN}`, preview: true });

      // Preview off: the subscription reconnects with the token alone.
      await page.getByLabel('Forhåndsvisning (utkast)').uncheck();
      const second = await waitForSubscribe(sockets, 1);
      await waitUntil(() => first.closed, 'the first WebSocket to close');
      assert.deepEqual(connectionInit(second), { authorization: `Bearer ${TOKEN}` });

      // Without preview a new draft is not delivered; publishing it is.
      const title = `Abonnement ${RUN_ID} publisert`;
      await page.waitForTimeout(300); // let the server start the subscription
      const measure = await createMeasure(title);
      const published = await graphql(
        'mutation ($id: ID!) { measurePublish(input: { id: $id, version: 1 }) { measure { status } } }',
        { id: measure.id },
        TOKEN,
      );
      assert.equal(published.measurePublish.measure.status, 'PUBLISHED');
      const shown = await waitForText(page, RESPONSE, [/"action": "PUBLISH"/, /"status": "PUBLISHED"/]);
      assert.match(shown, new RegExp(`"title": "${escapeRegExp(title)}"`));
      const delivered = second.received
        .filter((m) => m.type === 'next')
        .map((m) => m.payload?.data?.changes)
        .filter((c) => c?.nodeId === measure.id)
        .map((c) => c.action);
      assert.deepEqual(delivered, ['PUBLISH'], 'events of the new measure without preview');

      // Signing out: anonymous from then on (an empty connection_init payload).
      await page.getByRole('button', { name: 'Logg ut' }).click();
      const third = await waitForSubscribe(sockets, 2);
      await waitUntil(() => second.closed, 'the second WebSocket to close');
      assert.deepEqual(connectionInit(third), {});

      await page.locator(EXECUTE).click();
      await waitUntil(() => third.closed, 'the WebSocket to close after stop');
      assert.deepEqual(requests.filter((u) => !isLoopback(u)), [], 'requests to hosts other than loopback');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('a refused token ends the subscription with the server\'s reason', { timeout: TEST_TIMEOUT }, async () => {
    // A remembered token the server does not know (as after a revocation).
    const { context, page, problems, sockets } = await openConsole({ storage: { 'oppvekstgraf:token': BOGUS_TOKEN } });
    try {
      await page.locator(`${TOKEN_BAR}[data-state="rejected"]`).waitFor();
      await openTab(page, 'Endringer', [/subscription Endringer/]);
      await page.locator(EXECUTE).click();
      // The server closes the socket after connection_init (1002, with its reason); no retries.
      await waitForText(page, RESPONSE, [/Socket closed with event 1002/, /token is malformed, unknown, expired or revoked/]);
      assert.equal(sockets.length, 1, 'one connection attempt');
      assert.deepEqual(connectionInit(sockets[0]), { authorization: `Bearer ${BOGUS_TOKEN}` });
      assert.equal(await page.locator(EXECUTE).getAttribute('aria-label'), 'Execute query (Ctrl-Enter)', 'stopped');
      assertNoProblems(problems, { allow401: true });
    } finally {
      await context.close();
    }
  });
});

/** Clicks the example tab titled `name` and waits for its document in the editor. */
async function openTab(page, name, patterns) {
  await page.locator('.graphiql-tab', { hasText: name }).first().click();
  await waitForText(page, `${QUERY_EDITOR} .view-lines`, patterns);
}

/** Waits for the `index`-th WebSocket of the page to send its graphql-ws `subscribe` message. */
async function waitForSubscribe(sockets, index) {
  await waitUntil(
    () => sockets[index]?.sent.some((m) => m.type === 'subscribe'),
    `WebSocket #${index + 1} to subscribe`,
    () => JSON.stringify(sockets.map((s) => ({ url: s.url, sent: s.sent, received: s.received }))),
  );
  return sockets[index];
}

function connectionInit(socket) {
  const init = socket.sent.find((m) => m.type === 'connection_init');
  assert.ok(init, `connection_init sent: ${JSON.stringify(socket.sent)}`);
  return init.payload ?? {};
}

function subscribeMessage(socket) {
  return socket.sent.find((m) => m.type === 'subscribe');
}

/**
 * Creates a draft measure in Rauma's action plan over HTTP and waits for its title in the result
 * pane. A subscription starts at the newest event when the server gets to it: should the first
 * change commit just before that, it is (rightly) not delivered, so a few more are made.
 */
async function createUntilSeen(page, prefix) {
  for (let attempt = 1; ; attempt++) {
    const title = `${prefix}-${attempt}`;
    await page.waitForTimeout(300); // let the server start the subscription
    const measure = await createMeasure(title);
    try {
      await waitForText(page, RESPONSE, [new RegExp(`"title": "${escapeRegExp(title)}"`)], 5_000);
      return { title, measure };
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

/** A draft measure in Rauma's action plan, made over HTTP with the test's token. */
async function createMeasure(title) {
  const { plan } = await graphql('{ plan(slug: "rauma-handlingsdel-oppvekstplan-2023-2033") { id } }');
  assert.ok(plan?.id, 'Rauma\'s action plan');
  const data = await graphql(
    'mutation ($input: MeasureCreateInput!) { measureCreate(input: $input) { measure { id title status } } }',
    { input: { plan: plan.id, title } },
    TOKEN,
  );
  assert.equal(data.measureCreate.measure.status, 'DRAFT');
  return data.measureCreate.measure;
}

/** POST /graphql from the test itself (not the page); fails on any GraphQL error. */
async function graphql(query, variables = {}, token = null) {
  const res = await fetch(`${BASE_URL}/graphql`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(STEP_TIMEOUT),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

function isLoopback(url) {
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
}

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

/** Types `token` into the token bar, presses "Logg inn" and waits for the bar to reach `state`. */
async function signIn(page, token, state = 'signed-in') {
  await page.getByLabel('API-token').fill(token);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.locator(`${TOKEN_BAR}[data-state="${state}"] button[type="submit"]:not([disabled])`).waitFor();
}

/**
 * Reloads the console once its GraphQL worker has started, and waits for the reloaded
 * page's editor and worker. The reload cancels whatever the old page was still loading,
 * Monaco's lazily started worker scripts included: check the problems before calling
 * this, and allow aborted worker scripts after it.
 */
async function reloadConsole({ page, workers }) {
  const graphqlWorkers = () => workers.filter((url) => /graphql[^/]*worker/i.test(url)).length;
  await waitUntil(() => graphqlWorkers() > 0, 'a GraphQL worker before the reload');
  const before = graphqlWorkers();
  await page.reload({ waitUntil: 'load' });
  await page.locator(`${QUERY_EDITOR} .view-lines`).waitFor({ state: 'visible' });
  await waitUntil(() => graphqlWorkers() > before, 'a GraphQL worker after the reload');
}

/** The next POST /graphql whose body matches `pattern`. */
function waitForGraphQLRequest(page, pattern) {
  return page.waitForRequest(
    (req) => new URL(req.url()).pathname === '/graphql' && req.method() === 'POST' && pattern.test(req.postData() ?? ''),
    { timeout: STEP_TIMEOUT },
  );
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
