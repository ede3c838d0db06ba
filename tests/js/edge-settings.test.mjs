// The edge service's settings are documented where a platform engineer
// looks (issue 24, item 8): every one in wrangler.toml's [vars] and in the
// README's table, with its default; make-config.mjs --list prints them all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULTS, OTHER_SETTINGS } from '../../pkg/edge-settings.mjs';

const read = (p) => readFileSync(new URL(`../../examples/edge-service/${p}`, import.meta.url), 'utf8');

test('every setting is in wrangler.toml and the README with its default', () => {
  const toml = read('wrangler.toml');
  const readme = read('README.md');
  for (const [k, v] of Object.entries(DEFAULTS)) {
    assert.ok(toml.includes(`${k} = "${v}"`), `wrangler.toml lists ${k} = "${v}"`);
    assert.ok(readme.includes(`\`${k}\``) && readme.includes(String(v)), `README.md lists ${k} (${v})`);
  }
  for (const k of Object.keys(OTHER_SETTINGS)) assert.ok(readme.includes(`\`${k}\``), `README.md lists ${k}`);
  assert.ok(read('make-config.mjs').includes('--list'));
});
