import { defineConfig } from 'vite';

// The Rust server serves dist/ under /graphiql/ (see README.md in this folder).
export default defineConfig({
  base: '/graphiql/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Monaco and GraphiQL are big; the size warning is expected noise here.
    chunkSizeWarningLimit: 8000,
    // Vite itself inlines nothing (GraphiQL's own CSS already carries its fonts as
    // data: URLs, hence `font-src data:` in the CSP).
    assetsInlineLimit: 0,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Dependencies ship React Server Components' "use client" directives;
        // meaningless in a client-only bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  // `npm run dev` serves the console on http://localhost:5173/graphiql/ and
  // forwards /graphql and the subscriptions' WebSocket at /graphql/ws to a
  // running server (OPPVEKSTGRAF_URL, default :8080).
  server: {
    proxy: {
      '/graphql': { target: process.env.OPPVEKSTGRAF_URL ?? 'http://127.0.0.1:8080', ws: true },
    },
  },
  worker: {
    format: 'es',
  },
  // The dev server's dependency pre-bundling cannot follow the `?worker` imports of
  // GraphiQL's worker setup; serve that module as it is.
  optimizeDeps: {
    exclude: ['graphiql/setup-workers/vite', '@graphiql/react/setup-workers/vite'],
  },
});
