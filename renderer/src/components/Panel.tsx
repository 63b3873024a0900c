// A titled section of a view: title with its unit, an optional note, and the content.
import type { ReactNode } from 'react';

export function Panel(props: {
  title: string;
  unit?: string;
  note?: ReactNode;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  return (
    <section
      className={`panel${props.wide ? ' panel-wide' : ''}`}
      data-testid={props.testId}
      aria-label={props.title}
    >
      <header className="panel-header">
        <h2>
          {props.title}
          {props.unit && <span className="panel-unit"> ({props.unit})</span>}
        </h2>
        {props.note && <div className="panel-note">{props.note}</div>}
      </header>
      <div className="panel-body">{props.children}</div>
    </section>
  );
}

export function EmptyState(props: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state" role="note">
      <strong>{props.title}</strong>
      {props.children && <p>{props.children}</p>}
    </div>
  );
}
