import { parse } from 'graphql';

// Same-origin POST /graphql with a JSON body.
//
// Headers, lowest to highest precedence (names compare case-insensitively):
//   1. Accept and Content-Type: application/json;
//   2. the headers typed into GraphiQL's headers editor;
//   3. the token bar, only while signed in: `Authorization: Bearer <token>`, and
//      `x-preview: true` when the preview box is checked (the server refuses
//      x-preview without a token).
// GraphiQL calls the same fetcher, with the editor's headers, for the schema
// introspection, so that request carries the token too.
const ENDPOINT = '/graphql';

/**
 * @param {object} options
 * @param {() => {token: string|null, preview: boolean}} options.getAuth
 *   the token bar's state at the time of the request (token null when signed out;
 *   preview: whether to ask for drafts)
 * @param {(answer: {status: number, token: string|null, editorAuth: boolean, introspection: boolean}) => void} [options.onResponse]
 *   called with the HTTP status of every answer, before it is shown
 */
export function createFetcher({ getAuth, onResponse }) {
  return async function fetcher(graphQLParams, opts = {}) {
    const { token, preview } = getAuth();
    const headers = new Headers({ Accept: 'application/json', 'Content-Type': 'application/json' });
    const editorHeaders = opts.headers;
    if (editorHeaders && typeof editorHeaders === 'object') {
      for (const [name, value] of Object.entries(editorHeaders)) {
        if (value != null) headers.set(name, String(value));
      }
    }
    const editorAuth = headers.has('Authorization');
    if (token) {
      headers.set('Authorization', `Bearer ${token}`);
      if (preview) headers.set('x-preview', 'true');
    }

    const response = await fetch(ENDPOINT, {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      body: JSON.stringify(withCurrentOperationName(graphQLParams)),
    });
    const text = await response.text();
    onResponse?.({
      status: response.status,
      token: token ?? null,
      editorAuth: !token && editorAuth,
      introspection: graphQLParams.operationName === 'IntrospectionQuery',
    });
    try {
      // A 401 (bad token) is JSON too, {"errors": [{..., "extensions": {"code": "UNAUTHENTICATED"}}]},
      // and is shown in the result pane like any other error.
      return JSON.parse(text);
    } catch {
      // Not a GraphQL response (proxy error page, 404, …): show it rather than hide it.
      throw new Error(`HTTP ${response.status} ${response.statusText}: ${text.slice(0, 2000)}`);
    }
  };
}

// GraphiQL updates its selected operation name 100 ms after an edit, so a run
// right after pasting a new document sends the previous document's name (and
// the server answers 'Unknown operation named "RaumaTiltak"'). When the name is
// not in the document and the document has a single operation, use that one.
function withCurrentOperationName(params) {
  const { query, operationName } = params;
  if (!operationName || typeof query !== 'string') return params;
  let document;
  try {
    document = parse(query);
  } catch {
    return params; // let the server report the syntax error
  }
  const operations = document.definitions.filter((d) => d.kind === 'OperationDefinition');
  if (operations.some((op) => op.name?.value === operationName)) return params;
  if (operations.length !== 1) return params;
  return { ...params, operationName: operations[0].name?.value ?? null };
}
