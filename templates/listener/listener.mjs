// Extra daemon of __PLUGIN_NAME__: each HTTP PUT/POST body received on a unix socket becomes a file in step main's inbox.
// Usage: node listener.mjs SOCKET INBOX
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

const [socket, inbox] = process.argv.slice(2);
if (!socket || !inbox) {
  console.error('usage: listener.mjs SOCKET INBOX');
  process.exit(2);
}
fs.mkdirSync(inbox, { recursive: true });
fs.rmSync(socket, { force: true });

const server = http.createServer((req, res) => {
  if (req.method !== 'PUT' && req.method !== 'POST') {
    res.writeHead(405).end();
    return;
  }
  const wanted = path.basename(decodeURIComponent((req.url ?? '/').split('?')[0]));
  const name = /^[A-Za-z0-9._-]+$/.test(wanted) && !wanted.startsWith('.') ? wanted : randomBytes(16).toString('hex');
  // Written as .t (ignored by the observer) then renamed: the step never sees a partial payload.
  const tmp = path.join(inbox, `${name}.t`);
  const out = fs.createWriteStream(tmp);
  req.pipe(out);
  out.on('finish', () => {
    fs.renameSync(tmp, path.join(inbox, name));
    res.writeHead(201).end();
  });
  out.on('error', (err) => {
    console.error(`cannot write ${tmp}: ${err.message}`);
    res.writeHead(500).end();
  });
});
server.listen(socket, () => console.log(`listening on ${socket}`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
