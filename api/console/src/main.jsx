// Monaco's web workers (editor, JSON, GraphQL) bundled by Vite: validation and
// autocomplete work offline and under `worker-src 'self'`. Must run before
// GraphiQL creates an editor.
import 'graphiql/setup-workers/vite';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { explorerPlugin } from '@graphiql/plugin-explorer';

import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './style.css';

import { fetcher } from './fetcher.js';
import { exampleTabs } from './examples.js';

// Passing `plugins` replaces GraphiQL's default list, so history is listed explicitly.
const plugins = [HISTORY_PLUGIN, explorerPlugin()];

function Console() {
  return (
    <GraphiQL
      fetcher={fetcher}
      plugins={plugins}
      defaultTabs={exampleTabs}
      isHeadersEditorEnabled
      shouldPersistHeaders={false}
    />
  );
}

createRoot(document.getElementById('graphiql')).render(
  <StrictMode>
    <Console />
  </StrictMode>,
);
