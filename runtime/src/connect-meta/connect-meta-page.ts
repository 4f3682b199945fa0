import type { ConnectResult } from './connect-meta-service';

/**
 * The small page the browser lands on after the Facebook dialog. It carries the outcome in words
 * (one of the seven messages of docs/architecture.md §5 on failure) and nothing else: no token, no state.
 */
export function connectMetaPage(
  outcome: { ok: true; result: ConnectResult } | { ok: false; message: string },
): string {
  const title = outcome.ok ? 'Connected to Facebook' : 'Could not connect to Facebook';
  const message = outcome.ok
    ? `Connected ${outcome.result.pages.length === 1 ? 'this Page' : 'these Pages'}: ${outcome.result.pages.map((page) => page.pageName).join(', ')}.`
    : outcome.message;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)}</title></head>`,
    `<body><main><h1>${escapeHtml(title)}</h1><p id="message">${escapeHtml(message)}</p>`,
    '<p>You can close this window.</p></main></body></html>',
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
