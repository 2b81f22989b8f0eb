// End-to-end test of __PLUGIN_NAME__: a payload sent to the listener is processed by step main.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { listFiles, startRuntime, waitFor } from './run-plugin.mjs';

function put(socketPath, name, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: `/${name}`, method: 'PUT' }, (res) => { res.resume(); resolve(res.statusCode); });
    req.on('error', reject);
    req.end(body);
  });
}

test('a PUT payload is received and processed', async () => {
  const rt = startRuntime();
  try {
    const sock = path.join(rt.home, 'var/__PLUGIN_NAME__.sock');
    await waitFor(() => fs.existsSync(sock), 'the listener socket');
    assert.equal(await put(sock, 'payload.txt', 'one\ntwo\n'), 201);
    const out = path.join(rt.home, 'var/out/__PLUGIN_NAME__');
    await waitFor(() => listFiles(out).includes('payload.txt.report'), 'the report');
    assert.equal(fs.readFileSync(path.join(out, 'payload.txt.report'), 'utf8'), 'payload.txt 2\n');
  } finally {
    rt.stop();
  }
});
