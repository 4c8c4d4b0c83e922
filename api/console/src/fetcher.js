import { createGraphiQLFetcher, isAsyncIterable } from '@graphiql/toolkit';
import { parse } from 'graphql';

// One fetcher for everything GraphiQL sends, built with @graphiql/toolkit:
//
// - queries, mutations and the schema introspection: same-origin POST /graphql (JSON);
// - subscriptions: graphql-ws (the graphql-transport-ws subprotocol) at /graphql/ws on the
//   page's own host (ws:, or wss: when the page is https:). The toolkit opens one
//   WebSocket per running subscription and closes it when the subscription stops.
//
// Authentication, lowest to highest precedence (header names compare case-insensitively):
//   1. the toolkit's Accept and Content-Type (JSON);
//   2. the headers typed into GraphiQL's headers editor (for a subscription they go into
//      the connection_init payload instead, as the toolkit does);
//   3. the token bar, only while signed in: `Authorization: Bearer <token>`, and
//      `x-preview: true` when the preview box is checked (the server refuses preview
//      without a token). A subscription sends the same as its connection_init payload,
//      `{"authorization": "Bearer <token>", "preview": true}`.
// The bar is read when a request is sent or a subscription starts, so the fetcher stays the
// same object when signing in or out (a new fetcher would make GraphiQL fetch the schema
// again); `restartSubscriptions()` reconnects running subscriptions after such a change.
const ENDPOINT = '/graphql';
const WS_PATH = '/graphql/ws';

/** The WebSocket URL of the subscription endpoint, on the host that served the page. */
export function subscriptionUrl(location = window.location) {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${WS_PATH}`;
}

/** The connection_init payload for the token bar's state: empty (anonymous) when signed out. */
export function connectionParams({ token, preview }) {
  if (!token) return {};
  return preview ? { authorization: `Bearer ${token}`, preview: true } : { authorization: `Bearer ${token}` };
}

/**
 * @param {object} options
 * @param {() => {token: string|null, preview: boolean}} options.getAuth
 *   the token bar's state at the time of the request (token null when signed out;
 *   preview: whether to ask for drafts)
 * @param {(answer: {status: number, token: string|null, editorAuth: boolean, introspection: boolean}) => void} [options.onResponse]
 *   called with the HTTP status of every answer, before it is shown
 */
export function createFetcher({ getAuth, onResponse }) {
  const wsUrl = subscriptionUrl();
  const toolkitFetcher = createGraphiQLFetcher({
    url: ENDPOINT,
    subscriptionUrl: wsUrl,
    // A getter: the toolkit reads this each time a subscription starts, so every
    // connection_init carries the bar's state at that moment.
    get wsConnectionParams() {
      return connectionParams(getAuth());
    },
    // The server speaks plain JSON; no multipart (@defer/@stream) requests.
    enableIncrementalDelivery: false,
    fetch: (url, init) => fetchWithAuth(url, init, getAuth, onResponse),
  });

  return async function fetcher(graphQLParams, opts = {}) {
    const { params, document } = withCurrentOperationName(graphQLParams);
    // Per start: the headers editor's values, less those the bar overrides right now.
    const optsNow = () => ({
      ...opts,
      headers: withoutBarHeaders(opts.headers, getAuth()),
      documentAST: document ?? opts.documentAST,
    });
    const result = await toolkitFetcher(params, optsNow());
    if (!isAsyncIterable(result)) return result;
    // A subscription: follow the token bar by reconnecting when it changes.
    return restartable(result, () => toolkitFetcher(params, optsNow()), wsUrl);
  };
}

/** POST with the token bar's headers on top of the request's; reports the status; readable non-JSON. */
async function fetchWithAuth(url, init, getAuth, onResponse) {
  const { token, preview } = getAuth();
  const headers = new Headers();
  // Later entries (the headers editor's) replace earlier ones (the toolkit's defaults).
  for (const [name, value] of Object.entries(init?.headers ?? {})) {
    if (value != null) headers.set(name, String(value));
  }
  const editorAuth = headers.has('Authorization');
  if (token) {
    headers.set('Authorization', `Bearer ${token}`);
    if (preview) headers.set('x-preview', 'true');
  }
  const response = await fetch(url, { ...init, headers, credentials: 'same-origin' });
  const text = await response.clone().text();
  onResponse?.({
    status: response.status,
    token: token ?? null,
    editorAuth: !token && editorAuth,
    introspection: operationNameOf(init?.body) === 'IntrospectionQuery',
  });
  try {
    // A 401 (bad token) is JSON too, {"errors": [{..., "extensions": {"code": "UNAUTHENTICATED"}}]},
    // and is shown in the result pane like any other error.
    JSON.parse(text);
  } catch {
    // Not a GraphQL response (proxy error page, 404, …): show it rather than hide it.
    throw new Error(`HTTP ${response.status} ${response.statusText}: ${text.slice(0, 2000)}`);
  }
  return response;
}

function operationNameOf(body) {
  try {
    return JSON.parse(body).operationName ?? null;
  } catch {
    return null;
  }
}

/**
 * The headers editor's headers for a subscription's connection_init payload, without those the
 * token bar sets (its `authorization`, and its preview switch while checked), so the bar wins
 * there as it does for HTTP whatever case the editor used.
 */
function withoutBarHeaders(editorHeaders, { token, preview }) {
  if (!editorHeaders || typeof editorHeaders !== 'object' || !token) return editorHeaders;
  const overridden = new Set(preview ? ['authorization', 'x-preview', 'preview'] : ['authorization']);
  return Object.fromEntries(Object.entries(editorHeaders).filter(([name]) => !overridden.has(name.toLowerCase())));
}

// Running subscriptions, restarted when the token bar changes.
const running = new Set();

/**
 * Reconnects every running subscription with the token bar's current state (call after
 * signing in or out or toggling preview). Each starts again at the newest event.
 */
export function restartSubscriptions() {
  for (const subscription of running) subscription.restart();
}

/**
 * An observable (what GraphiQL's result pane subscribes to) over a subscription's async
 * iterator that, on restart, closes the iterator and opens a new one with `start()`
 * (`url`: the WebSocket's, for the message when it cannot connect).
 * Stopping in GraphiQL closes the current iterator at once, even while it waits for an event.
 */
function restartable(first, start, url) {
  return {
    subscribe(observer) {
      let iterator = null;
      let run = 0;
      let closed = false;
      const entry = { restart };

      function stop() {
        closed = true;
        running.delete(entry);
        const current = iterator;
        iterator = null;
        current?.return?.();
      }
      function fail(error, mine) {
        if (closed || mine !== run) return;
        stop();
        // A WebSocket that could not connect fails with a bare DOM `Event`, which the
        // result pane would show as {"isTrusted": true}.
        const readable =
          typeof Event !== 'undefined' && error instanceof Event
            ? new Error(`Could not connect to ${url} (is the server running?)`)
            : error;
        observer.error?.(readable);
      }
      async function pump(iterable, mine) {
        try {
          const it = quietThrow(iterable[Symbol.asyncIterator]());
          if (closed || mine !== run) {
            it.return?.();
            return;
          }
          iterator = it;
          for (;;) {
            const step = await it.next();
            if (closed || mine !== run) return;
            if (step.done) {
              stop();
              observer.complete?.();
              return;
            }
            observer.next?.(step.value);
          }
        } catch (error) {
          fail(error, mine);
        }
      }
      function restart() {
        if (closed) return;
        const previous = iterator;
        iterator = null;
        previous?.return?.();
        const mine = ++run;
        Promise.resolve()
          .then(start)
          .then(
            (iterable) => pump(iterable, mine),
            (error) => fail(error, mine),
          );
      }

      running.add(entry);
      pump(first, run);
      return { unsubscribe: stop };
    },
  };
}

/**
 * The toolkit's subscription iterator reports a failure (a socket closed by the server,
 * say for a refused token) by calling its own `throw(error)`; the `next()` we wait on
 * rejects with that error, which is what the result pane shows, and the promise of the
 * `throw` call rejects too, with nobody to catch it: an "uncaught (in promise)" page error.
 * Wrapping the method (looked up at call time) marks that second rejection as handled.
 */
function quietThrow(iterator) {
  if (typeof iterator.throw !== 'function') return iterator;
  const original = iterator.throw.bind(iterator);
  iterator.throw = (error) => {
    const result = original(error);
    result?.catch?.(() => {});
    return result;
  };
  return iterator;
}

// GraphiQL updates its selected operation name 100 ms after an edit, so a run
// right after pasting a new document sends the previous document's name (and
// the server answers 'Unknown operation named "RaumaTiltak"'). When the name is
// not in the document, or missing, and the document has a single operation, use
// that one (the toolkit tells a subscription by its operation's name). Also
// returns the parsed document (null when it does not parse) for that check.
function withCurrentOperationName(params) {
  const { query, operationName } = params;
  if (typeof query !== 'string') return { params, document: null };
  let document;
  try {
    document = parse(query);
  } catch {
    return { params, document: null }; // let the server report the syntax error
  }
  const operations = document.definitions.filter((d) => d.kind === 'OperationDefinition');
  if (operationName && operations.some((op) => op.name?.value === operationName)) return { params, document };
  if (operations.length !== 1) return { params, document };
  const only = operations[0].name?.value ?? null;
  return only === (operationName ?? null) ? { params, document } : { params: { ...params, operationName: only }, document };
}
