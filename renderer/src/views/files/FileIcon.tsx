// Small line icons for the kinds of entries (folder, file, link, other), drawn in the text colour so
// both themes cover them; emoji are not used (many Linux desktops have no emoji font).
import type { FileEntry } from '../../../../common/schemas/files';

export function FileIcon({ entry }: { entry: FileEntry }) {
  const folder = entry.type === 'dir' || (entry.type === 'link' && entry.targetType === 'dir');
  const link = entry.type === 'link';
  return (
    <svg
      className={`file-icon${folder ? ' folder' : ''}`}
      viewBox="0 0 16 16"
      width="16"
      height="16"
      aria-hidden="true"
    >
      {folder ? (
        <path
          d="M1.5 3.5h4l1.5 1.5h7.5v8h-13z"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.2"
          strokeLinejoin="round"
        />
      ) : entry.type === 'other' ? (
        <path d="M8 2l6 6-6 6-6-6z" fill="none" stroke="currentColor" strokeWidth="1.2" />
      ) : (
        <path
          d="M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.2"
          strokeLinejoin="round"
        />
      )}
      {link && <path d="M9 14.5h5.5V9 M14.5 14.5l-5-5" fill="none" stroke="currentColor" strokeWidth="1.4" />}
    </svg>
  );
}
