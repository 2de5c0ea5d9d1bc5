/**
 * The route table. A page registers itself with ONE line: its path, its lazily loaded component
 * (a chunk of its own) and, to appear in the navigation, a nav entry. `bare` pages render without
 * the shell's header (the big screen, sign-in).
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface NavEntry {
  /** i18n key of the label. */
  key: string;
  group: 'lead' | 'work' | 'admin';
}
export interface RouteDef {
  path: string;
  element: LazyExoticComponent<ComponentType>;
  nav?: NavEntry;
  /** No header and navigation (full-screen pages). */
  bare?: boolean;
  /** Shown to anonymous visitors without the demo (sign-in). */
  public?: boolean;
}

export const routes: RouteDef[] = [
  {
    path: '/',
    element: lazy(() => import('./pages/overview/OverviewPage')),
    nav: { key: 'nav.overview', group: 'lead' },
  },
  { path: '/race', element: lazy(() => import('./pages/race/RacePage')), nav: { key: 'nav.race', group: 'lead' } },
  {
    path: '/appraisal',
    element: lazy(() => import('./pages/appraisal/AppraisalPage')),
    nav: { key: 'nav.appraisal', group: 'lead' },
  },
  { path: '/appraisal/:period/:code', element: lazy(() => import('./pages/appraisal/BreakdownPage')) },
  {
    path: '/indicators',
    element: lazy(() => import('./pages/indicator/IndicatorListPage')),
    nav: { key: 'nav.indicators', group: 'lead' },
  },
  { path: '/indicators/:code', element: lazy(() => import('./pages/indicator/IndicatorPage')) },
  { path: '/org-units/:code', element: lazy(() => import('./pages/org-unit/OrgUnitPage')) },
  {
    path: '/screen',
    element: lazy(() => import('./pages/screen/ScreenPage')),
    nav: { key: 'nav.screen', group: 'lead' },
    bare: true,
  },
  { path: '/entry', element: lazy(() => import('./pages/entry/EntryPage')), nav: { key: 'nav.entry', group: 'work' } },
  {
    path: '/approvals',
    element: lazy(() => import('./pages/approvals/ApprovalsPage')),
    nav: { key: 'nav.approvals', group: 'work' },
  },
  { path: '/tasks', element: lazy(() => import('./pages/tasks/TasksPage')), nav: { key: 'nav.tasks', group: 'work' } },
  {
    path: '/problems',
    element: lazy(() => import('./pages/problems/ProblemsPage')),
    nav: { key: 'nav.problems', group: 'work' },
  },
  {
    path: '/reports',
    element: lazy(() => import('./pages/reports/ReportsPage')),
    nav: { key: 'nav.reports', group: 'work' },
  },
  {
    path: '/public',
    element: lazy(() => import('./pages/public/PublicPage')),
    nav: { key: 'nav.public', group: 'lead' },
    public: true,
  },
  {
    path: '/public/indicators/:code',
    element: lazy(() => import('./pages/public/PublicIndicatorPage')),
    public: true,
  },
  { path: '/sign-in', element: lazy(() => import('./pages/signin/SignInPage')), bare: true, public: true },
];
