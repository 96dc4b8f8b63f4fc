/**
 * @module The dashboard's navigation, in display order. A page module that adds a section adds one
 * entry here (only for pages that exist: the nav never links a page that is not built).
 */

export interface NavItem {
  /** What a view names as its `section` to be marked as the current page. */
  readonly key: string;
  readonly label: string;
  readonly href: string;
}

export const NAV_ITEMS: NavItem[] = [
  { key: 'connectors', label: 'Connectors', href: '/dashboard/connectors' },
  { key: 'connections', label: 'Connections', href: '/dashboard/connections' },
  { key: 'accounts', label: 'Connected accounts', href: '/dashboard/accounts' },
  { key: 'playground', label: 'Playground', href: '/dashboard/playground' },
  { key: 'logs', label: 'Logs', href: '/dashboard/logs' },
  { key: 'settings', label: 'Settings', href: '/dashboard/settings' },
];

/** Where `/dashboard` and a fresh sign-in land. */
export const HOME_PATH = '/dashboard/connections';
