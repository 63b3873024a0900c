// One terminal session drawn by xterm.js: its output (scrollback first) from the terminal.output
// stream, keystrokes and pastes to terminal.input in order, its size kept in step with the pane,
// copy and paste (a paste of more than one line is shown and confirmed first: each line break would
// run a command), search in the scrollback, and a banner when the connection drops or the shell ends.
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { TerminalSession } from '../../../../common/schemas/terminal';
import { useClient } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { formatClock } from '../../lib/format';
import { onSchemeChange, terminalTheme } from './terminal-theme';
import { installStyleShim } from './xterm-csp';
import './terminal.css';

installStyleShim();

/** Output drawn since the last acknowledgement, above which one is sent at once. */
const ACK_EVERY = 64 * 1024;
/** The contract takes at most this much input per call. */
const INPUT_CHUNK = 60 * 1024;

/** Lines of a paste shown in its confirmation. */
const PASTE_PREVIEW_LINES = 12;

/** Whether pasting `text` would press Enter: a line break anywhere, a trailing one included. */
function pasteRunsCommands(text: string): boolean {
  return /[\r\n]/.test(text);
}

interface Props {
  sessionId: string;
  active: boolean;
  onSession: (session: TerminalSession) => void;
  onTitle: (title: string) => void;
}

export function TerminalView({ sessionId, active, onSession, onTitle }: Props) {
  const client = useClient();
  const host = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const [session, setSession] = useState<TerminalSession>();
  const [reconnectedAt, setReconnectedAt] = useState<number>();
  const [searching, setSearching] = useState(false);
  const [problem, setProblem] = useState<string>();
  /** A paste of several lines waiting for the person's yes. */
  const [pendingPaste, setPendingPaste] = useState<string>();
  const actions = useRef<{ copy: () => void; paste: () => void }>({ copy: () => {}, paste: () => {} });
  const callbacks = useRef({ onSession, onTitle });
  callbacks.current = { onSession, onTitle };

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const term = new Terminal({
      allowProposedApi: true,
      cursorBlink: true,
      fontFamily: "ui-monospace, 'DejaVu Sans Mono', 'Cascadia Mono', Menlo, monospace",
      fontSize: 13,
      scrollback: 10_000,
      theme: terminalTheme(element),
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.open(element);
    termRef.current = term;
    searchRef.current = search;
    fitRef.current = fit;
    const offScheme = onSchemeChange(() => (term.options.theme = terminalTheme(element)));

    let viewer = '';
    let drawn = 0;
    let ackTimer: ReturnType<typeof setTimeout> | undefined;
    /** The generation of the last shell seen open: a higher one opening is a reconnect. */
    let lastOpenGeneration = 0;
    const sendAck = () => {
      if (ackTimer) clearTimeout(ackTimer);
      ackTimer = undefined;
      if (!viewer || drawn === 0) return;
      const bytes = drawn;
      drawn = 0;
      void client.call('terminal.ack', { session: sessionId, viewer, bytes }).catch(() => undefined);
    };
    const drew = (chars: number) => {
      drawn += chars;
      if (drawn >= ACK_EVERY) sendAck();
      else ackTimer ??= setTimeout(sendAck, 100);
    };

    // Keystrokes go out in order: while one call is on its way, the next ones gather.
    let pending = '';
    let sending = false;
    const flushInput = () => {
      if (sending || !pending) return;
      const data = pending.slice(0, INPUT_CHUNK);
      pending = pending.slice(data.length);
      sending = true;
      client.call('terminal.input', { session: sessionId, data }).then(
        () => {
          sending = false;
          flushInput();
        },
        (err: Error) => {
          sending = false;
          pending = '';
          setProblem(err.message);
        },
      );
    };
    const send = (data: string) => {
      setProblem(undefined);
      pending += data;
      flushInput();
    };
    const onData = term.onData(send);
    const onTitleChange = term.onTitleChange((title) => callbacks.current.onTitle(title));

    const copy = () => {
      const text = term.getSelection();
      if (text) void navigator.clipboard?.writeText(text).catch(() => undefined);
    };
    const pasteText = (text: string) => {
      if (!text) return;
      if (pasteRunsCommands(text)) setPendingPaste(text);
      else term.paste(text);
    };
    const paste = () => {
      void navigator.clipboard
        ?.readText()
        .then(pasteText)
        .catch(() =>
          setProblem(
            'The browser did not allow reading the clipboard: use Ctrl+Shift+V or the menu of the browser.',
          ),
        );
    };
    term.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
      const key = event.key.toLowerCase();
      if (key === 'c') {
        copy();
        return false;
      }
      if (key === 'v') {
        paste();
        event.preventDefault();
        return false;
      }
      if (key === 'f') {
        setSearching(true);
        event.preventDefault();
        return false;
      }
      return true;
    });
    actions.current = { copy, paste };
    // The browser's own paste (its menu, middle click, Ctrl+V where it reaches the page) comes as a
    // paste event on xterm's text area: caught on the way down, before xterm types it.
    const onNativePaste = (event: ClipboardEvent) => {
      const text = event.clipboardData?.getData('text/plain') ?? '';
      if (!pasteRunsCommands(text)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      setPendingPaste(text);
    };
    element.addEventListener('paste', onNativePaste, { capture: true });

    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    const onResize = term.onResize(({ cols, rows }) => {
      if (resizeTimer) clearTimeout(resizeTimer);
      resizeTimer = setTimeout(
        () => void client.call('terminal.resize', { session: sessionId, cols, rows }).catch(() => undefined),
        100,
      );
    });
    const observer = new ResizeObserver(() => {
      if (element.offsetParent !== null) fit.fit();
    });
    observer.observe(element);
    fit.fit();

    const stop = client.subscribe(
      'terminal.output',
      { session: sessionId },
      {
        onEvent: (event) => {
          if (event.snapshot) {
            viewer = event.viewer ?? '';
            drawn = 0;
            term.reset();
          }
          if (event.data) term.write(event.data, () => drew(event.data.length));
          if (event.session) {
            const next = event.session;
            if (next.state === 'open') {
              if (lastOpenGeneration !== 0 && next.generation > lastOpenGeneration)
                setReconnectedAt(Date.now());
              lastOpenGeneration = next.generation;
            }
            setSession(next);
            callbacks.current.onSession(next);
            // The server keeps the size it was told; after a reconnect the new shell learns ours.
            if (next.state === 'open' && (next.cols !== term.cols || next.rows !== term.rows)) {
              void client
                .call('terminal.resize', { session: sessionId, cols: term.cols, rows: term.rows })
                .catch(() => undefined);
            }
          }
        },
        onError: (err) => setProblem(err.message),
      },
    );

    return () => {
      stop();
      sendAck();
      observer.disconnect();
      offScheme();
      onData.dispose();
      onTitleChange.dispose();
      element.removeEventListener('paste', onNativePaste, { capture: true });
      onResize.dispose();
      if (resizeTimer) clearTimeout(resizeTimer);
      term.dispose();
      termRef.current = null;
    };
  }, [client, sessionId]);

  useEffect(() => {
    if (!active) return;
    fitRef.current?.fit();
    termRef.current?.focus();
  }, [active]);

  useEffect(() => {
    if (reconnectedAt === undefined) return;
    const timer = setTimeout(() => setReconnectedAt(undefined), 8_000);
    return () => clearTimeout(timer);
  }, [reconnectedAt]);

  const reconnect = () => {
    setProblem(undefined);
    void client
      .call('terminal.reconnect', { session: sessionId })
      .catch((err: Error) => setProblem(err.message));
  };

  return (
    <div className="terminal-pane" hidden={!active} data-testid={`terminal-pane-${sessionId}`}>
      <TerminalBanner
        session={session}
        reconnectedAt={reconnectedAt}
        problem={problem}
        onReconnect={reconnect}
      />
      <div className="terminal-actions">
        <button
          type="button"
          onClick={() => actions.current.copy()}
          title="Copy the selection (Ctrl+Shift+C)"
        >
          Copy
        </button>
        <button type="button" onClick={() => actions.current.paste()} title="Paste (Ctrl+Shift+V)">
          Paste
        </button>
        <button
          type="button"
          onClick={() => setSearching(true)}
          title="Find in the scrollback (Ctrl+Shift+F)"
        >
          Find
        </button>
        <span className="muted small">
          {session ? `${session.cols}×${session.rows}` : ''} · select to copy with Ctrl+Shift+C
        </span>
      </div>
      <div className="terminal-frame">
        {searching && (
          <SearchBar
            search={searchRef.current}
            onClose={() => {
              setSearching(false);
              searchRef.current?.clearDecorations();
              termRef.current?.focus();
            }}
          />
        )}
        <div ref={host} className="terminal-host" data-testid="terminal" style={{ height: '100%' }} />
      </div>
      {pendingPaste !== undefined && (
        <PasteConfirm
          text={pendingPaste}
          hostName={session?.hostName ?? 'the host'}
          onCancel={() => {
            setPendingPaste(undefined);
            termRef.current?.focus();
          }}
          onPaste={() => {
            setPendingPaste(undefined);
            termRef.current?.paste(pendingPaste);
            termRef.current?.focus();
          }}
        />
      )}
    </div>
  );
}

function PasteConfirm(props: { text: string; hostName: string; onCancel: () => void; onPaste: () => void }) {
  const lines = props.text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const shown = lines.slice(0, PASTE_PREVIEW_LINES);
  const count = lines.length === 1 ? 'a line' : `${lines.length} lines`;
  return (
    <Dialog
      title={`Paste ${count} into the shell on ${props.hostName}?`}
      onClose={props.onCancel}
      testId="paste-confirm"
    >
      <p className="muted small">Each line break acts as Enter: the shell runs every line as it arrives.</p>
      <pre className="paste-preview" data-testid="paste-preview">
        {shown.join('\n')}
        {lines.length > shown.length && `\n… and ${lines.length - shown.length} more lines`}
      </pre>
      <div className="dialog-actions">
        <button type="button" onClick={props.onCancel} data-testid="paste-cancel" autoFocus>
          Cancel
        </button>
        <button type="button" className="primary" onClick={props.onPaste} data-testid="paste-confirm-button">
          Paste
        </button>
      </div>
    </Dialog>
  );
}

function TerminalBanner(props: {
  session: TerminalSession | undefined;
  reconnectedAt: number | undefined;
  problem: string | undefined;
  onReconnect: () => void;
}) {
  const { session } = props;
  if (props.problem) {
    return (
      <div className="terminal-banner tone-bad" role="alert">
        {props.problem}
      </div>
    );
  }
  if (!session) return null;
  if (session.state === 'dropped') {
    return (
      <div
        className="terminal-banner tone-bad"
        role="alert"
        data-testid="terminal-banner"
        data-state="dropped"
      >
        <span aria-hidden>⚠</span>
        <span>{session.message}</span>
        <span className="banner-actions">
          <button type="button" onClick={props.onReconnect}>
            Reconnect now
          </button>
        </span>
      </div>
    );
  }
  if (session.state === 'closed') {
    return (
      <div
        className="terminal-banner tone-muted"
        role="status"
        data-testid="terminal-banner"
        data-state="closed"
      >
        <span aria-hidden>■</span>
        <span>{session.message}</span>
        <span className="banner-actions">
          <button type="button" className="primary" onClick={props.onReconnect}>
            Start a new shell
          </button>
        </span>
      </div>
    );
  }
  if (session.state === 'opening') {
    return (
      <div
        className="terminal-banner tone-muted"
        role="status"
        data-testid="terminal-banner"
        data-state="opening"
      >
        <span>{session.message}</span>
      </div>
    );
  }
  if (props.reconnectedAt !== undefined) {
    return (
      <div
        className="terminal-banner tone-ok"
        role="status"
        data-testid="terminal-banner"
        data-state="reconnected"
      >
        <span aria-hidden>✓</span>
        <span>
          Reconnected at {formatClock(props.reconnectedAt)}: this is a new shell (shell {session.generation});
          what ran in the old one ended with the connection.
        </span>
      </div>
    );
  }
  return null;
}

function SearchBar({ search, onClose }: { search: SearchAddon | null; onClose: () => void }) {
  const [text, setText] = useState('');
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [count, setCount] = useState<{ index: number; count: number }>();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    if (!search) return;
    const sub = search.onDidChangeResults((r) => setCount({ index: r.resultIndex, count: r.resultCount }));
    return () => sub.dispose();
  }, [search]);
  const options = {
    caseSensitive,
    decorations: {
      matchBackground: '#a16207',
      activeMatchBackground: '#f59e0b',
      matchOverviewRuler: '#a16207',
      activeMatchColorOverviewRuler: '#f59e0b',
    },
  };
  const next = () => text && search?.findNext(text, options);
  const previous = () => text && search?.findPrevious(text, options);
  return (
    <div className="terminal-search" role="search" data-testid="terminal-search">
      <input
        ref={input}
        type="search"
        aria-label="Find in the scrollback"
        placeholder="Find in scrollback"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value) search?.findNext(e.target.value, { ...options, incremental: true });
          else search?.clearDecorations();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (e.shiftKey) previous();
            else next();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
          }
        }}
      />
      <span className="search-count" aria-live="polite">
        {text && count ? (count.count === 0 ? 'no match' : `${count.index + 1} of ${count.count}`) : ''}
      </span>
      <label className="small">
        <input type="checkbox" checked={caseSensitive} onChange={(e) => setCaseSensitive(e.target.checked)} />{' '}
        Aa
      </label>
      <button type="button" onClick={previous} aria-label="Previous match">
        ↑
      </button>
      <button type="button" onClick={next} aria-label="Next match">
        ↓
      </button>
      <button type="button" onClick={onClose} aria-label="Close search">
        ×
      </button>
    </div>
  );
}
