// `npm test`: each test opens the app in a test client that speaks the real protocol and
// renders the page with the browser client's own code, without a browser.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createTestClient } from 'lona-ts/testing';
import { app } from '../app.js';

const client = createTestClient(app);
after(() => client.close());

test('a click counts', async () => {
  const view = await client.open('/');
  assert.equal(view.text('#count'), '0');
  await view.click('button');
  assert.equal(view.text('#count'), '1');
});

test('the status route answers JSON', async () => {
  const response = await client.fetch('/api/status.json');
  assert.equal(response.status, 200);
  assert.equal(((await response.json()) as { ok: boolean }).ok, true);
});
