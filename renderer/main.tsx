// Entry point: start feeding events into the stores, then render the window.
import { createRoot } from 'react-dom/client';
import { StrictMode } from 'react';
import { useLanguage } from './i18n/index';
import { startSync } from './state/sync';
import { App } from './features/shell/App';
import './styles.css';

document.documentElement.lang = useLanguage.getState().language;
startSync();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
