// Views loaded when first opened, so the first chart does not wait for the terminal, the alerts
// pages or the account screens to download and parse; and a boundary that turns a view's crash
// (or a chunk that no longer exists after an upgrade) into a sentence and a retry, never a blank.
import { Component, lazy, Suspense, type ComponentType, type ErrorInfo, type ReactNode } from 'react';

export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Lazy = lazy(async () => ({ default: await load() }));
  function LazyView(props: P) {
    return (
      <ViewErrorBoundary>
        <Suspense
          fallback={
            <div className="view-loading" aria-busy="true">
              <div className="skeleton skeleton-chart" />
            </div>
          }
        >
          <Lazy {...props} />
        </Suspense>
      </ViewErrorBoundary>
    );
  }
  return LazyView;
}

interface BoundaryState {
  error: Error | undefined;
}

export class ViewErrorBoundary extends Component<{ children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: undefined };

  static getDerivedStateFromError(error: Error): BoundaryState {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('a view failed to draw', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const missingChunk = /dynamically imported module|Failed to fetch|Importing a module script failed/i.test(
      error.message,
    );
    return (
      <div className="empty-state" role="alert" data-testid="view-error">
        <strong>
          {missingChunk ? 'This part of Hyperion could not be loaded' : 'This view stopped working'}
        </strong>
        <p>
          {missingChunk
            ? 'Hyperion was probably updated or restarted since this page opened. Reload the page to get the new version.'
            : `It hit an error it did not expect (${error.message}). The rest of Hyperion goes on working.`}{' '}
          {missingChunk ? (
            <button type="button" onClick={() => window.location.reload()}>
              Reload
            </button>
          ) : (
            <button type="button" onClick={() => this.setState({ error: undefined })}>
              Try again
            </button>
          )}
        </p>
      </div>
    );
  }
}
