import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { I18nProvider } from './i18n';
import { SessionProvider } from './session';
import { prefetch } from './prefetch';
import './styles.css';

// The leaders' pages open with the overview's one request: start it now.
if (['/', '/screen', '/race'].includes(window.location.pathname)) prefetch('/overview');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
