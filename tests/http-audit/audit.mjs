// The graphql-http server audit suite (GraphQL over HTTP) against a running server at OPPVEKSTGRAF_URL.
// Prints every audit; exits non-zero when a MUST audit fails. SHOULD and MAY failures are printed as
// warnings: some of them deliberately follow the newer specification text rather than the suite (see the
// README's HTTP section).
//
//   OPPVEKSTGRAF_URL=http://127.0.0.1:8080 node tests/http-audit/audit.mjs

import { serverAudits } from 'graphql-http';

const base = process.env.OPPVEKSTGRAF_URL;
if (!base) {
  console.error('Set OPPVEKSTGRAF_URL to the server, e.g. http://127.0.0.1:8080');
  process.exit(2);
}
const url = `${base.replace(/\/$/, '')}/graphql`;

// Each request gives up after a while instead of hanging the CI run.
const fetchFn = (input, init = {}) => fetch(input, { ...init, signal: AbortSignal.timeout(10_000) });

const counts = { MUST: { ok: 0, fail: 0 }, SHOULD: { ok: 0, fail: 0 }, MAY: { ok: 0, fail: 0 } };
const failedMust = [];

for (const { id, name, fn } of serverAudits({ url, fetchFn })) {
  const level = name.split(' ')[0];
  const result = await fn();
  const tally = counts[level] ?? (counts[level] = { ok: 0, fail: 0 });
  if (result.status === 'ok') {
    tally.ok += 1;
    console.log(`ok      ${id} ${name}`);
    continue;
  }
  tally.fail += 1;
  let detail = result.reason;
  if (result.response) {
    let body = '';
    try {
      body = await result.response.text();
    } catch {
      // the body was read by the audit already
    }
    const type = result.response.headers.get('content-type') ?? '';
    detail += ` (status ${result.response.status}, content-type ${type || 'none'}${body ? `, body ${body.slice(0, 300)}` : ''})`;
  }
  if (result.status === 'error') {
    failedMust.push(`${id} ${name}`);
    console.log(`FAIL    ${id} ${name}\n        ${detail}`);
  } else {
    console.log(`warning ${id} ${name}\n        ${detail}`);
  }
}

console.log('\ngraphql-http audit summary (ok / not met):');
for (const [level, { ok, fail }] of Object.entries(counts)) {
  console.log(`  ${level.padEnd(6)} ${ok} ok, ${fail} not met${level === 'MUST' ? '' : ' (warnings)'}`);
}
if (failedMust.length > 0) {
  console.error(`\n${failedMust.length} MUST audit(s) failed:\n  ${failedMust.join('\n  ')}`);
  process.exit(1);
}
