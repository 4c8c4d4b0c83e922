// Monaco's web workers (editor, JSON, GraphQL) bundled by Vite: validation and
// autocomplete work offline and under `worker-src 'self'`. Must run before
// GraphiQL creates an editor.
import 'graphiql/setup-workers/vite';

import { StrictMode, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { explorerPlugin } from '@graphiql/plugin-explorer';

import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './style.css';

import { createFetcher, restartSubscriptions } from './fetcher.js';
import { exampleTabs } from './examples.js';
import { INVALID_TOKEN_MESSAGE, useStoredAuth } from './auth.js';
import { TokenBar } from './TokenBar.jsx';

// Passing `plugins` replaces GraphiQL's default list, so history is listed explicitly.
const plugins = [HISTORY_PLUGIN, explorerPlugin()];

const EDITOR_AUTH_REJECTED =
  'Serveren avviste Authorization-headeren fra Headers-fanen (HTTP 401): tokenet er ugyldig, utløpt eller trukket tilbake.';

function Console() {
  const { token, preview, setToken, setPreview } = useStoredAuth();
  // The last token the server answered 401 to, and whether the headers editor's
  // own Authorization header was refused (only looked at while signed out).
  const [rejectedToken, setRejectedToken] = useState(null);
  const [editorAuthRejected, setEditorAuthRejected] = useState(false);

  // Whether GraphiQL's last attempt to fetch the schema failed (say, the stored token was refused).
  const schemaFailed = useRef(false);
  const [schemaAttempt, setSchemaAttempt] = useState(0);

  const onResponse = useCallback(({ status, token: sent, editorAuth, introspection }) => {
    if (introspection) schemaFailed.current = status >= 400;
    if (sent) {
      if (status === 401) setRejectedToken(sent);
      else if (status < 400) setRejectedToken((current) => (current === sent ? null : current));
    } else {
      setEditorAuthRejected(editorAuth && status === 401);
    }
  }, []);

  // The fetcher reads the token bar through a ref (per request, and per subscription
  // start for its connection_init payload), so signing in or out or toggling preview
  // keeps the same fetcher. A new fetcher makes GraphiQL drop the schema and
  // fetch it again, and each schema change restarts Monaco's GraphQL worker; the schema
  // does not depend on the token, so that is only worth it when the last fetch failed.
  const auth = useRef({ token, preview });
  useLayoutEffect(() => {
    auth.current = { token, preview };
  }, [token, preview]);
  useEffect(() => {
    if (schemaFailed.current) setSchemaAttempt((n) => n + 1);
  }, [token]);
  // A running subscription authenticated once, when it connected: reconnect it with the
  // bar's new state, so what it delivers follows the token and the preview box.
  const authSeen = useRef({ token, preview });
  useEffect(() => {
    if (authSeen.current.token === token && authSeen.current.preview === preview) return;
    authSeen.current = { token, preview };
    restartSubscriptions();
  }, [token, preview]);

  const fetcher = useMemo(
    () => createFetcher({ getAuth: () => auth.current, onResponse }),
    // schemaAttempt: a new fetcher (and so a new schema fetch) per retry.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [onResponse, schemaAttempt],
  );

  const state = !token ? 'signed-out' : rejectedToken === token ? 'rejected' : 'signed-in';
  const message =
    state === 'rejected' ? INVALID_TOKEN_MESSAGE : !token && editorAuthRejected ? EDITOR_AUTH_REJECTED : null;

  return (
    <>
      <TokenBar
        token={token}
        preview={preview}
        state={state}
        message={message}
        onSignIn={(secret) => {
          setRejectedToken(null); // the server just accepted it
          setToken(secret);
        }}
        onSignOut={() => setToken(null)}
        onPreviewChange={setPreview}
      />
      <div className="console-main">
        <GraphiQL
          fetcher={fetcher}
          plugins={plugins}
          defaultTabs={exampleTabs}
          isHeadersEditorEnabled
          shouldPersistHeaders={false}
        />
      </div>
    </>
  );
}

createRoot(document.getElementById('graphiql')).render(
  <StrictMode>
    <Console />
  </StrictMode>,
);
