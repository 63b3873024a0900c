// A text file's first MiB, read-only, with line numbers; a binary file says so instead.
import { useEffect, useState } from 'react';
import type { TextFile } from '../../../../common/schemas/files';
import { useClient } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { formatBytes } from '../../lib/format';
import { visibleName } from './file-rows';

export function FileViewer(props: {
  host: string;
  path: string;
  onDownload: () => void;
  onClose: () => void;
}) {
  const client = useClient();
  const [file, setFile] = useState<TextFile>();
  const [error, setError] = useState<string>();
  const [wrap, setWrap] = useState(false);
  useEffect(() => {
    let live = true;
    client.call('files.read', { host: props.host, path: props.path }).then(
      (f) => live && setFile(f),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
  }, [client, props.host, props.path]);
  const lines = file && !file.binary ? file.text.split('\n') : [];
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return (
    <Dialog title={visibleName(props.path)} onClose={props.onClose} testId="file-viewer" wide>
      <div className="viewer-bar">
        <span className="muted small">
          {file
            ? `${formatBytes(file.size)}${file.truncated ? ' · showing the first 1 MiB' : ''} · ${lines.length} lines · read-only`
            : error
              ? ''
              : 'Reading…'}
        </span>
        <label className="small">
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> Wrap lines
        </label>
        <button type="button" onClick={props.onDownload}>
          Download
        </button>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {file?.binary && (
        <p className="muted" data-testid="viewer-binary">
          This looks like a binary file (it contains NUL bytes): download it to open it with the right
          program.
        </p>
      )}
      {file && !file.binary && (
        <pre className={`viewer-text${wrap ? ' wrap' : ''}`} data-testid="viewer-text">
          {lines.map((line, i) => (
            <div key={i} className="viewer-line">
              <span className="viewer-number" aria-hidden>
                {i + 1}
              </span>
              <span>{line}</span>
            </div>
          ))}
        </pre>
      )}
    </Dialog>
  );
}
