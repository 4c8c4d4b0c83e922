import { useCallback, useEffect, useState } from 'react';

// The API token of the token bar, kept in this browser's localStorage so that it
// survives a reload. Anything that runs on this origin can read it; the page's
// CSP (`script-src 'self'`) is what keeps foreign scripts out.
const TOKEN_KEY = 'oppvekstgraf:token';
const PREVIEW_KEY = 'oppvekstgraf:preview';

// The server's answer when a token is malformed, unknown, expired or revoked.
export const INVALID_TOKEN_MESSAGE = 'Tokenet er ugyldig, utløpt eller trukket tilbake.';

// Secrets look like `ogt_<32 hex>_<43 base64url>`; the hex part is the token's id
// (what `oppvekstgraf token list` shows, with dashes), so it is safe to show.
const SECRET_SHAPE = /^ogt_([0-9a-f]{32})_[A-Za-z0-9_-]{43}$/;

function read(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage disabled: the token lasts as long as the page
  }
}

function write(key, value) {
  try {
    if (value == null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // storage disabled or full: keep going with the in-memory state
  }
}

/** Turns what was pasted into a bare secret: trims it and drops a leading "Bearer ". */
export function normalizeToken(input) {
  return input.trim().replace(/^bearer\s+/i, '').trim();
}

/** The first 8 hex digits of the token id, or null when the secret has another shape. */
export function tokenIdHint(secret) {
  return SECRET_SHAPE.exec(secret ?? '')?.[1].slice(0, 8) ?? null;
}

/**
 * The stored token and preview switch, as React state. Follows changes made in
 * other tabs of the same console (the `storage` event).
 */
export function useStoredAuth() {
  const [token, setTokenState] = useState(() => read(TOKEN_KEY) || null);
  const [preview, setPreviewState] = useState(() => read(PREVIEW_KEY) === 'true');

  useEffect(() => {
    const onStorage = (event) => {
      if (event.key === TOKEN_KEY || event.key === null) setTokenState(read(TOKEN_KEY) || null);
      if (event.key === PREVIEW_KEY || event.key === null) setPreviewState(read(PREVIEW_KEY) === 'true');
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const setToken = useCallback((value) => {
    write(TOKEN_KEY, value || null);
    setTokenState(value || null);
  }, []);
  const setPreview = useCallback((value) => {
    write(PREVIEW_KEY, value ? 'true' : null);
    setPreviewState(Boolean(value));
  }, []);

  return { token, preview, setToken, setPreview };
}

/**
 * Asks the server whether it accepts `secret`, with the smallest possible query.
 * Resolves to 'ok' or 'invalid'; throws with a readable message on anything else.
 */
export async function checkToken(secret) {
  if (!/^[\x21-\x7e]+$/.test(secret)) return 'invalid'; // not sendable in a header, so not a token
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      Authorization: `Bearer ${secret}`,
    },
    body: JSON.stringify({ query: 'query TokenCheck { __typename }', operationName: 'TokenCheck' }),
  });
  await response.text();
  if (response.status === 401) return 'invalid';
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  return 'ok';
}
