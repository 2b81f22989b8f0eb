// The HTML document around every webview of ours (logs, metrics, flow, journey): a strict Content-Security-Policy
// (our stylesheet, and our script only by nonce when there is one; nothing remote, no inline handlers). Pure (no vscode).

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface PageParts {
  /** The webview's `cspSource`. */
  cspSource: string;
  styleUri: string;
  title: string;
  body: string;
  /** A script loaded by nonce; without it the page runs no script at all. */
  script?: { uri: string; nonce: string };
}

export function webviewPage(page: PageParts): string {
  const csp = [`default-src 'none'`, `style-src ${page.cspSource}`, `font-src ${page.cspSource}`, `img-src ${page.cspSource}`, ...(page.script ? [`script-src 'nonce-${page.script.nonce}'`] : [])].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(page.styleUri)}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
${page.body}
${page.script ? `<script nonce="${page.script.nonce}" src="${escapeHtml(page.script.uri)}"></script>` : ''}
</body>
</html>`;
}
