import { parse } from 'graphql';

// Same-origin POST /graphql with a JSON body. Headers typed into GraphiQL's
// headers editor (for example {"Authorization": "Bearer …"}) are sent along;
// they override the defaults below.
const ENDPOINT = '/graphql';

export async function fetcher(graphQLParams, opts = {}) {
  const response = await fetch(ENDPOINT, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      ...(opts.headers ?? {}),
    },
    body: JSON.stringify(withCurrentOperationName(graphQLParams)),
  });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    // Not a GraphQL response (proxy error page, 404, …): show it rather than hide it.
    throw new Error(`HTTP ${response.status} ${response.statusText}: ${text.slice(0, 2000)}`);
  }
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
