/**
 * The shell: header (plan, navigation, language, user menu), the demo banner, and the page for the
 * current path. Anonymous visitors see the sign-in page unless the server lets them read as the demo visitor.
 */
import { Component, Suspense, useEffect, useRef, useState, type ErrorInfo, type ReactNode } from 'react';
import { ErrorBox, Loading } from './components/states';
import { LOCALES, useLocale, useSetLocale, useT } from './i18n';
import { Link, matchPath, navigate, ParamsContext, useLocation } from './router';
import { routes, type RouteDef } from './routes';
import { useSession } from './session';
import './nav.css';

function findRoute(pathname: string): { route: RouteDef; params: Record<string, string> } | null {
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return null;
}

class PageBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: unknown }> {
  override state = { error: undefined as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override componentDidUpdate(prev: { resetKey: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: undefined });
  }
  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }
  override render() {
    return this.state.error ? <ErrorBox error={this.state.error} /> : this.props.children;
  }
}

export function App() {
  const { pathname } = useLocation();
  const session = useSession();
  const t = useT();
  const found = findRoute(pathname);

  if (!session.ready) return <Loading />;
  const signedOutWithoutDemo = !session.user && !session.demo;
  if (signedOutWithoutDemo && !found?.route.public) {
    const SignIn = routes.find((r) => r.path === '/sign-in')!.element;
    return (
      <Suspense fallback={<Loading />}>
        <SignIn />
      </Suspense>
    );
  }
  const content = found ? (
    <ParamsContext.Provider value={found.params}>
      <PageBoundary resetKey={pathname}>
        <Suspense fallback={<Loading />}>
          <found.route.element />
        </Suspense>
      </PageBoundary>
    </ParamsContext.Provider>
  ) : (
    <section className="page">
      <h1>{t('error.pageNotFound')}</h1>
      <p>
        <Link to="/">{t('nav.overview')}</Link>
      </p>
    </section>
  );
  if (found?.route.bare) return content;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <Header pathname={pathname} />
      {session.demo && (
        <div className="demo-banner" role="note" data-testid="demo-banner">
          <strong>{t('demo.banner')}</strong> <span>{t('demo.bannerText')}</span>{' '}
          <Link to="/sign-in">{t('auth.signIn')}</Link>
        </div>
      )}
      <main id="main" tabIndex={-1}>
        {content}
      </main>
      <footer className="footer">
        <span>{t('shell.footer')}</span>
        <a href="/api/docs">{t('shell.apiDocs')}</a>
      </footer>
    </div>
  );
}

const isActive = (path: string, pathname: string) => (path === '/' ? pathname === '/' : pathname.startsWith(path));

function Header({ pathname }: { pathname: string }) {
  const t = useT();
  const nav = routes.filter((r) => r.nav && !r.path.includes(':'));
  const groups: Array<'lead' | 'work' | 'admin'> = ['lead', 'work', 'admin'];
  return (
    <header className="topbar">
      <Link to="/" className="brand" aria-label={t('shell.brand')}>
        <span className="brand-mark" aria-hidden="true">
          共
        </span>
        <span className="brand-text">
          <strong>{t('shell.brand')}</strong>
          <small>{t('shell.tagline')}</small>
        </span>
      </Link>
      <nav aria-label={t('shell.nav')} className="nav">
        {groups.map((g) => {
          const entries = nav.filter((r) => r.nav!.group === g);
          // The leaders' pages side by side; the work pages (entry, approvals, tasks, problems) under
          // one menu, so that ten entries fit a 1366 px screen in English too.
          if (g !== 'lead' && entries.length > 1)
            return <NavGroup key={g} label={t(`nav.group.${g}`)} entries={entries} pathname={pathname} />;
          return entries.map((r) => {
            const active = isActive(r.path, pathname);
            return (
              <Link
                key={r.path}
                to={r.path}
                className={active ? 'active' : undefined}
                aria-current={active ? 'page' : undefined}
              >
                {t(r.nav!.key)}
              </Link>
            );
          });
        })}
      </nav>
      <div className="topbar-end">
        <LanguageSwitch />
        <UserMenu />
      </div>
    </header>
  );
}

/**
 * A group of navigation links behind one button (the disclosure pattern): Enter, Space or ↓ opens
 * it, Tab and ↑/↓ move through the links, Escape closes it and returns to the button; it closes on
 * a click outside and when a page is chosen.
 */
function NavGroup({ label, entries, pathname }: { label: string; entries: RouteDef[]; pathname: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = `nav-group-${label.replace(/\W+/g, '-')}`;
  const current = entries.find((r) => isActive(r.path, pathname));
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent | FocusEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    document.addEventListener('focusin', outside);
    return () => {
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('focusin', outside);
    };
  }, [open]);
  const links = () => [...(ref.current?.querySelectorAll<HTMLAnchorElement>('.nav-group-menu a') ?? [])];
  const focusLink = (i: number) => {
    const all = links();
    all[(i + all.length) % all.length]?.focus();
  };
  return (
    <div
      className="nav-group"
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          setOpen(false);
          button.current?.focus();
        } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && open) {
          e.preventDefault();
          const at = links().indexOf(document.activeElement as HTMLAnchorElement);
          focusLink(e.key === 'ArrowDown' ? at + 1 : at < 0 ? -1 : at - 1);
        }
      }}
    >
      <button
        type="button"
        ref={button}
        className={`nav-group-button${current ? ' active' : ''}`}
        aria-expanded={open}
        aria-controls={id}
        data-testid="nav-work"
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
            requestAnimationFrame(() => focusLink(0));
          }
        }}
      >
        {label}
        {current && <span className="nav-group-current">{` · ${t(current.nav!.key)}`}</span>}
        <span aria-hidden="true" className="nav-group-caret">
          ▾
        </span>
      </button>
      <ul id={id} className="nav-group-menu" hidden={!open}>
        {entries.map((r) => {
          const active = isActive(r.path, pathname);
          return (
            <li key={r.path}>
              <Link to={r.path} className={active ? 'active' : undefined} aria-current={active ? 'page' : undefined}>
                {t(r.nav!.key)}
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function LanguageSwitch({ className }: { className?: string }) {
  const locale = useLocale();
  const setLocale = useSetLocale();
  const t = useT();
  return (
    <div className={`lang-switch ${className ?? ''}`} role="group" aria-label={t('shell.language')}>
      {LOCALES.map((l) => (
        <button key={l} type="button" aria-pressed={locale === l} onClick={() => setLocale(l)} lang={l} data-locale={l}>
          {l === 'zh-CN' ? '中文' : 'EN'}
        </button>
      ))}
    </div>
  );
}

function UserMenu() {
  const session = useSession();
  const t = useT();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  if (!session.user)
    return (
      <Link to="/sign-in" className="btn btn-primary btn-small">
        {t('auth.signIn')}
      </Link>
    );
  const u = session.user;
  return (
    <div className="user-menu" ref={ref}>
      <button
        type="button"
        className="user-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="avatar" aria-hidden="true">
          {(u.displayName || u.username).replace('演示·', '').slice(0, 1)}
        </span>
        <span className="user-name">{u.displayName || u.username}</span>
        {u.demo && <span className="badge synthetic">{t('demo.account')}</span>}
      </button>
      {open && (
        <div className="menu" role="menu">
          <div className="menu-info">
            <strong>{u.username}</strong>
            {u.grants.map((g) => (
              <small key={`${g.role}:${g.unit}`}>
                {t(`role.${g.role}`)} · {g.unit}
              </small>
            ))}
          </div>
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setOpen(false);
              void session.signOut().then(() => navigate('/'));
            }}
          >
            {t('auth.signOut')}
          </button>
        </div>
      )}
    </div>
  );
}
