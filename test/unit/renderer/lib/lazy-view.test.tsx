// @vitest-environment jsdom
// A view that fails says so in a sentence with a way out, and the rest of the app goes on; a view
// loaded on first use shows a placeholder, then itself.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lazyView, ViewErrorBoundary } from '../../../../renderer/src/lib/lazy-view';

afterEach(cleanup);

describe('ViewErrorBoundary', () => {
  it('turns a crash into a sentence and a retry, and draws the view again once it works', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    let broken = true;
    function Fragile() {
      if (broken) throw new Error('no such field');
      return <p>drawn</p>;
    }
    function Harness() {
      const [n] = useState(0);
      return (
        <>
          <p>rail {n}</p>
          <ViewErrorBoundary>
            <Fragile />
          </ViewErrorBoundary>
        </>
      );
    }
    render(<Harness />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toMatch(/This view stopped working.*no such field.*rest of Hyperion/);
    expect(screen.getByText('rail 0')).toBeTruthy();
    broken = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('drawn')).toBeTruthy();
    quiet.mockRestore();
  });

  it('offers a reload when a part of the app can no longer be downloaded', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const Gone = lazyView<object>(() =>
      Promise.reject(new TypeError('Failed to fetch dynamically imported module: /assets/TerminalTab-x.js')),
    );
    render(<Gone />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/could not be loaded.*Reload/);
    quiet.mockRestore();
  });

  it('shows a placeholder, then the view', async () => {
    const Later = lazyView<{ who: string }>(async () => ({ who }: { who: string }) => <p>hello {who}</p>);
    render(<Later who="ops" />);
    expect(document.querySelector('[aria-busy=true]')).toBeTruthy();
    expect(await screen.findByText('hello ops')).toBeTruthy();
  });
});
