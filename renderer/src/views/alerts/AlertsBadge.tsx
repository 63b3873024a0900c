// The count of alerts that need someone, beside "Alerts" in the rail — and, because the rail is
// always drawn, the same count in the document title and on the favicon (the browser's tray badge).
import { useEffect } from 'react';
import type { AlertCounts } from '../../../../common/schemas/alerts';
import { useAlertsFeed } from './useAlertsFeed';
import './alerts.css';

const BASE_TITLE = 'Hyperion';
const FAVICON = './favicon.svg';

export function AlertsBadge() {
  const { counts } = useAlertsFeed();
  useDocumentBadge(counts);
  if (counts.firing === 0) return null;
  const tone =
    counts.unhandled === 0
      ? 'muted'
      : counts.worst === 'critical'
        ? 'bad'
        : counts.worst === 'warning'
          ? 'warn'
          : 'muted';
  const label =
    counts.unhandled > 0
      ? `${counts.unhandled} alert${counts.unhandled === 1 ? '' : 's'} need${counts.unhandled === 1 ? 's' : ''} attention`
      : `${counts.firing} firing, all acknowledged or silenced`;
  return (
    <span className={`alert-count tone-${tone}`} title={label} data-testid="alerts-badge">
      <span aria-hidden>{counts.unhandled > 0 ? '●' : '○'}</span>{' '}
      {counts.unhandled > 0 ? counts.unhandled : counts.firing}
      <span className="sr-only"> ({label})</span>
    </span>
  );
}

function useDocumentBadge(counts: AlertCounts): void {
  const n = counts.unhandled;
  const worst = counts.worst;
  useEffect(() => {
    // The Electron app badges the tray icon from the core; the title helps there too.
    document.title = n > 0 ? `(${n}) ${BASE_TITLE}` : BASE_TITLE;
    const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (!link) return;
    if (n === 0) {
      link.href = FAVICON;
      link.type = 'image/svg+xml';
      return;
    }
    let cancelled = false;
    const image = new Image();
    image.onload = () => {
      if (cancelled) return;
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 64;
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      ctx.drawImage(image, 0, 0, 64, 64);
      ctx.fillStyle = worst === 'critical' ? '#dc2626' : worst === 'warning' ? '#d97706' : '#2563eb';
      ctx.beginPath();
      ctx.arc(44, 44, 20, 0, Math.PI * 2);
      ctx.fill();
      ctx.fillStyle = '#ffffff';
      ctx.font = 'bold 26px sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(n > 9 ? '9+' : String(n), 44, 46);
      link.type = 'image/png';
      link.href = canvas.toDataURL('image/png');
    };
    image.src = FAVICON;
    return () => {
      cancelled = true;
    };
  }, [n, worst]);
}
