import type { ReactNode } from 'react';
import { useDocumentTitle } from '../router';

/** A page: its title (also the document's), actions on the right, and the content. */
export function Page({
  title,
  subtitle,
  actions,
  children,
  badges,
}: {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  badges?: ReactNode;
  children: ReactNode;
}) {
  useDocumentTitle(title);
  return (
    <section className="page">
      <header className="page-header">
        <div>
          <h1>
            {title} {badges}
          </h1>
          {subtitle && <p className="page-subtitle">{subtitle}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

/** A card with an optional title and actions; `span` widens it in the 12-column grid. */
export function Card({
  title,
  actions,
  children,
  span,
  className,
  testId,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  span?: number;
  className?: string;
  testId?: string;
}) {
  return (
    <section
      className={`card ${className ?? ''}`}
      style={span ? { gridColumn: `span ${span}` } : undefined}
      data-testid={testId}
    >
      {(title || actions) && (
        <header className="card-header">
          {title && <h2>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      <div className="card-body">{children}</div>
    </section>
  );
}
