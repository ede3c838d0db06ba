// scripts/fuzz.sh can fail (issue 27): a target that does not build, a
// libFuzzer error, or any finding (crash-, oom-, timeout-, leak-,
// slow-unit-) fails the run. A stand-in cargo plays each case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

function run(script) {
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-cargo-'));
  const cargo = join(dir, 'cargo');
  writeFileSync(cargo, `#!/usr/bin/env bash\n${script}\n`);
  chmodSync(cargo, 0o755);
  return spawnSync('bash', ['scripts/fuzz.sh', '1', 'score'], { cwd: root, env: { ...process.env, CARGO_FUZZ_CARGO: cargo }, encoding: 'utf8' });
}

test('a target that does not build fails the fuzz run', () => {
  const r = run('exit 101');
  assert.notEqual(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /does not build/);
});

test('a libFuzzer error fails the fuzz run', () => {
  const r = run('[ "$3" = build ] && exit 0; echo "==1== ERROR: libFuzzer: deadly signal"; exit 77');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /failed \(exit 77\)/);
});

for (const kind of ['oom', 'timeout', 'leak', 'slow-unit', 'crash']) {
  test(`a ${kind} finding fails the fuzz run, even when libFuzzer exits 0`, () => {
    const r = run(`[ "$3" = build ] && exit 0; for a in "$@"; do case "$a" in -artifact_prefix=*) touch "\${a#-artifact_prefix=}${kind}-x";; esac; done; exit 0`);
    assert.notEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`${kind}-x`));
  });
}

test('a clean run passes', () => {
  const r = run('exit 0');
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
