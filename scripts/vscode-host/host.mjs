// The installed VS Code host (code-server on Node 24, see install.sh) and the browser that renders it:
// locating them, fresh throw-away profiles, starting/stopping the server, launching headless chromium.
// Used by the in-host test runner, the UI tests and the .vsix install check.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';

/** Where install.sh put the host; throws with the fix when it is not there. */
export function locateHost() {
  const dir = process.env.MFDATA_VSCODE_HOST_DIR || join(homedir(), '.cache', 'mfdata-vscode-host');
  const node = join(dir, `node-${NODE_VERSION}`, 'bin', 'node');
  const csDir = join(dir, `code-server-${CODE_SERVER_VERSION}`);
  const entry = join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const chromium = process.env.MFDATA_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(join(csDir, '.installed')) || !existsSync(node)) {
    throw new Error(`VS Code host not installed in ${dir}: run scripts/vscode-host/install.sh (about 3 minutes, cached afterwards)`);
  }
  if (!existsSync(chromium)) throw new Error(`chromium not found at ${chromium}: run scripts/vscode-host/install.sh or set MFDATA_CHROMIUM`);
  return { dir, node, entry, chromium };
}

/** User settings for every test profile: no startup editor, no network features, no prompts. */
export const TEST_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'window.commandCenter': false,
  // an unanswerable Save dialog would otherwise block startDebugging() on a dirty editor
  'debug.saveBeforeStart': 'none',
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
};

/**
 * A fresh profile: user data (with settings), extensions dir, XDG config (code-server writes a
 * config.yaml with a password on first run), removed by dispose().
 */
export function freshProfile(prefix, { trust = true, settings = {} } = {}) {
  const root = mkdtempSync(join(tmpdir(), `mfdata-${prefix}-`));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const xdgConfig = join(root, 'xdg-config');
  for (const d of [join(userDataDir, 'User'), extensionsDir, xdgConfig]) mkdirSync(d, { recursive: true });
  const all = { ...TEST_SETTINGS, 'security.workspace.trust.enabled': !trust, ...settings };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(all, null, 2));
  return { root, userDataDir, extensionsDir, xdgConfig, trust, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

function serverArgs(host, profile) {
  return [
    host.entry,
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    // an untrusted profile keeps VS Code's workspace trust on, so the extension sees isTrusted === false
    ...(profile.trust ? ['--disable-workspace-trust'] : []),
  ];
}

function serverEnv(profile, env) {
  return { ...process.env, XDG_CONFIG_HOME: profile.xdgConfig, ...env };
}

/** Runs the code-server CLI to completion (e.g. --install-extension); resolves its output. */
export function runHostCli(host, profile, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(host.node, [...serverArgs(host, profile), ...args], { env: serverEnv(profile, {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`code-server ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

/** Starts code-server on a free loopback port; resolves once it listens. */
export function startServer(host, profile, { extraArgs = [], env = {}, log = !!process.env.MFDATA_HOST_LOG } = {}) {
  const args = [...serverArgs(host, profile), '--auth', 'none', '--bind-addr', '127.0.0.1:0', ...extraArgs];
  const child = spawn(host.node, args, { env: serverEnv(profile, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`code-server did not listen within 60 s:\n${out}`)); }, 60_000);
    const onExit = (code) => { clearTimeout(timer); reject(new Error(`code-server exited early (${code}):\n${out}`)); };
    child.on('exit', onExit);
    const onData = (d) => {
      const text = d.toString();
      if (log) process.stderr.write(`[code-server] ${text}`);
      if (url) return;
      out += text;
      const m = out.match(/HTTP server listening on (http:\/\/\S+)/);
      if (m) {
        url = m[1].replace(/\/$/, '');
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve({ process: child, url, authority: new URL(url).host, stop: () => stopProcess(child) });
      }
    };
    let url;
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
export function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(kill); resolve(); });
    child.kill('SIGTERM');
  });
}

/** Headless chromium with a fresh profile (playwright's persistent context is how it takes one). */
export async function launchBrowser(host) {
  const { chromium } = await import('playwright-core');
  const profileDir = mkdtempSync(join(tmpdir(), 'mfdata-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: host.chromium,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** URL of the workbench on a folder, optionally with the extension-development payload. */
export function workbenchUrl(server, folder, payload) {
  // A .code-workspace file opens a multi-root workspace; anything else is a folder.
  const kind = folder.endsWith('.code-workspace') ? 'workspace' : 'folder';
  let url = `${server.url}/?${kind}=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** A path on the server as the workbench addresses it. */
export function remoteUri(server, path) {
  return `vscode-remote://${server.authority}${path}`;
}
