import { useId, useState } from 'react';

import { checkToken, INVALID_TOKEN_MESSAGE, normalizeToken, tokenIdHint } from './auth.js';

/**
 * The strip above GraphiQL: API token in, signed-in state, preview switch.
 *
 * `state` is 'signed-out', 'signed-in' or 'rejected' (a stored token the server
 * answered 401 to); `message` is an error to show next to it, or null.
 * Signing in first asks the server whether it takes the token, so a mistyped
 * token is reported at once and never stored.
 */
export function TokenBar({ token, preview, state, message, onSignIn, onSignOut, onPreviewChange }) {
  const inputId = useId();
  const [input, setInput] = useState('');
  const [checking, setChecking] = useState(false);
  const [signInError, setSignInError] = useState(null);

  async function signIn(event) {
    event.preventDefault();
    const secret = normalizeToken(input);
    if (!secret) {
      setSignInError('Lim inn et token først.');
      return;
    }
    setChecking(true);
    setSignInError(null);
    try {
      const verdict = await checkToken(secret);
      if (verdict === 'ok') {
        setInput('');
        onSignIn(secret);
      } else {
        setSignInError(INVALID_TOKEN_MESSAGE);
      }
    } catch (err) {
      setSignInError(`Fikk ikke sjekket tokenet: ${err instanceof Error ? err.message : err}`);
    } finally {
      setChecking(false);
    }
  }

  function signOut() {
    setSignInError(null);
    onSignOut();
  }

  const shownMessage = signInError ?? message;
  const hint = tokenIdHint(token);
  const status = {
    'signed-out': 'Ikke innlogget',
    'signed-in': hint ? `Innlogget (token ${hint}…)` : 'Innlogget',
    rejected: 'Token avvist',
  }[state];

  return (
    <div className="token-bar graphiql-container" data-state={state}>
      <span className="token-bar-title">Oppvekstgraf</span>
      <form className="token-bar-form" onSubmit={signIn} autoComplete="off">
        <label htmlFor={inputId}>API-token</label>
        <input
          id={inputId}
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={token ? 'nytt token for å bytte' : 'ogt_…'}
          value={input}
          onChange={(e) => setInput(e.target.value)}
        />
        <button type="submit" disabled={checking}>
          Logg inn
        </button>
      </form>
      <button type="button" onClick={signOut} disabled={!token}>
        Logg ut
      </button>
      <label
        className="token-bar-preview"
        title={token ? 'Sender x-preview: true: viser også utkast fra tokenets kommune' : 'Krever token'}
      >
        <input
          type="checkbox"
          checked={preview}
          disabled={!token}
          onChange={(e) => onPreviewChange(e.target.checked)}
        />
        Forhåndsvisning (utkast)
      </label>
      <span className="token-bar-status" role="status" data-state={state}>
        {status}
      </span>
      {shownMessage && (
        <span className="token-bar-message" role="alert">
          {shownMessage}
        </span>
      )}
    </div>
  );
}
