import { useState, type FormEvent } from 'react';
import { LanguageSwitch } from '../../App';
import { ErrorBox } from '../../components/states';
import { useT } from '../../i18n';
import { Link, navigate, useDocumentTitle } from '../../router';
import { useSession } from '../../session';

export default function SignInPage() {
  const t = useT();
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  useDocumentTitle(t('auth.title'));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await session.signIn(username.trim(), password);
      const next = new URLSearchParams(window.location.search).get('next');
      navigate(
        next && next.startsWith('/') && !next.startsWith('//')
          ? next
          : window.location.pathname === '/sign-in'
            ? '/'
            : window.location.pathname + window.location.search,
        { replace: true },
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <form className="signin-card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <div className="signin-brand">
          <span className="brand-mark" aria-hidden="true">
            共
          </span>
          <div>
            <h1 id="signin-title">{t('auth.title')}</h1>
            <p className="muted">{t('shell.tagline')}</p>
          </div>
        </div>
        <label>
          <span>{t('auth.username')}</span>
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label>
          <span>{t('auth.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error !== undefined && <ErrorBox error={error} />}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('auth.signingIn') : t('auth.submit')}
        </button>
        <p className="muted small">{t('auth.demoHint')}</p>
        <div className="signin-foot">
          {session.demo && <Link to="/">{t('auth.continueAsVisitor')}</Link>}
          <LanguageSwitch />
        </div>
      </form>
    </div>
  );
}
