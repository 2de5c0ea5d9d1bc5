/** The shell's building blocks for pages. */
export { Page, Card } from './Page';
export { Loading, Empty, ErrorBox, SyntheticBadge } from './states';
export { StatusBadge } from './StatusBadge';
export { DataTable, type Column } from './DataTable';
export { Chart } from './Chart';
export { Sparkline } from './Sparkline';
export { useApi, type ApiState } from './useApi';
export { AsyncView } from './AsyncView';
