import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RestChangeInfo } from '../sources/gerrit/rest-types.js';
import type { SshChangeAttribute, SshStatsRow } from '../sources/gerrit/ssh-types.js';
import type { DemoChange } from './demo-change.js';
import { restTimestamp, toRestChange, toSshChange, writeRestExport, writeSshExport } from './demo-export.js';
import { generateDemoChanges } from './demo-project.js';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const REST_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.000000000$/;

const restSeconds = (s: string): number => Date.parse(`${s.slice(0, 19).replace(' ', 'T')}Z`) / 1000;

/** The final vote per (patch set, label, username) as the messages state it; removals drop it. */
function votesFromMessages(messages: Array<{ author: string; message: string; date: number }>): Map<string, number> {
  const votes = new Map<string, number>();
  for (const m of messages) {
    const head = /^Patch Set (\d+):(.*)$/m.exec(m.message.split('\n')[0] ?? '');
    if (!head) continue;
    for (const token of (head[2] ?? '').trim().split(' ').filter(Boolean)) {
      const v = /^(-)?(Code-Review|Verified|Workflow)([+-]\d+)?$/.exec(token);
      assert.ok(v, `vote token ${token}`);
      const key = `${head[1]}|${v[2]}|${m.author}`;
      if (v[1]) votes.delete(key);
      else votes.set(key, Number(v[3]));
    }
  }
  return votes;
}

describe('REST and SSH renderings of the same demo change', () => {
  let changes: DemoChange[];
  before(() => {
    changes = [...generateDemoChanges({ now: NOW, seed: 11, changes: 800 })];
  });

  it('agree on the change, its patch sets and files', () => {
    for (const c of changes) {
      const rest = toRestChange(c);
      const ssh = toSshChange(c);
      assert.equal(rest._number, ssh.number);
      assert.equal(rest.change_id, ssh.id);
      assert.equal(rest.status, ssh.status);
      assert.equal(ssh.open, rest.status === 'NEW');
      assert.equal(rest.work_in_progress === true, ssh.wip === true);
      assert.equal(rest.owner.username, ssh.owner.username);
      assert.equal(rest.subject, ssh.subject);
      assert.equal(rest.topic, ssh.topic);
      assert.equal(rest.branch, ssh.branch);
      assert.equal(restSeconds(rest.created), ssh.createdOn);
      assert.equal(restSeconds(rest.updated), ssh.lastUpdated);

      const revisions = Object.entries(rest.revisions ?? {}).sort((a, b) => a[1]._number - b[1]._number);
      const patchSets = ssh.patchSets ?? [];
      assert.equal(revisions.length, patchSets.length);
      assert.equal(rest.current_revision, patchSets.at(-1)?.revision);
      revisions.forEach(([sha, r], i) => {
        const p = patchSets[i];
        assert.ok(p);
        assert.equal(sha, p.revision);
        assert.match(sha, /^[0-9a-f]{40}$/);
        assert.equal(r._number, p.number);
        assert.equal(r.kind, p.kind);
        assert.equal(r.ref, p.ref);
        assert.equal(restSeconds(r.created), p.createdOn);
        assert.equal(r.uploader.username, p.uploader.username);
        assert.deepEqual(
          r.commit?.parents.map((x) => x.commit),
          p.parents,
        );
        const restFiles = Object.entries(r.files ?? {}).map(([path, f]) => [path, f.lines_inserted ?? 0, f.lines_deleted ?? 0]);
        const sshFiles = (p.files ?? []).map((f) => [f.file, f.insertions, Math.abs(f.deletions)]);
        assert.deepEqual(restFiles, sshFiles);
        assert.equal(restFiles[0]?.[0], '/COMMIT_MSG');
        const real = sshFiles.slice(1);
        assert.equal(
          p.sizeInsertions,
          real.reduce((n, f) => n + (f[1] as number), 0),
        );
        assert.equal(
          Math.abs(p.sizeDeletions ?? 0),
          real.reduce((n, f) => n + (f[2] as number), 0),
        );
        assert.ok((p.sizeDeletions ?? 0) <= 0 && (p.files ?? []).every((f) => f.deletions <= 0), 'SSH prints deletions negative');
      });
      assert.equal(rest.insertions, patchSets.at(-1)?.sizeInsertions);
      assert.equal(rest.deletions, Math.abs(patchSets.at(-1)?.sizeDeletions ?? 0));
      assert.equal(Object.values(rest.revisions ?? {}).at(-1)?.commit?.message, ssh.commitMessage);
    }
  });

  it('agree on every message', () => {
    for (const c of changes) {
      const rest = toRestChange(c).messages ?? [];
      const ssh = toSshChange(c).comments ?? [];
      assert.equal(rest.length, ssh.length);
      rest.forEach((m, i) => {
        const s = ssh[i];
        assert.ok(s);
        assert.equal(m.message, s.message);
        assert.equal(m.author?.username, s.reviewer.username);
        assert.equal(restSeconds(m.date), s.timestamp);
        assert.match(m.id, /^[0-9a-f]{40}$/);
        if (m.message.startsWith('Patch Set ')) assert.ok(m.message.startsWith(`Patch Set ${m._revision_number}:`));
      });
    }
  });

  it('agree on final votes: REST labels equal SSH approvals on the current patch set', () => {
    let copied = 0;
    for (const c of changes) {
      const rest = toRestChange(c);
      const ssh = toSshChange(c);
      const fromRest = Object.entries(rest.labels ?? {}).flatMap(([label, info]) =>
        (info.all ?? []).filter((a) => a.value).map((a) => `${label}|${a.username}|${a.value}|${restSeconds(a.date ?? '')}`),
      );
      const last = ssh.patchSets?.at(-1);
      const fromSsh = (last?.approvals ?? []).map((a) => `${a.type}|${a.by.username}|${a.value}|${a.grantedOn}`);
      assert.deepEqual(fromRest.sort(), fromSsh.sort(), `change ${c.number}`);
      for (const info of Object.values(rest.labels ?? {})) {
        for (const a of info.all ?? []) {
          assert.equal(a.date === undefined, a.value === 0, 'a zero entry has no date');
          if (a.date) assert.match(a.date, REST_TIME);
        }
      }
      copied += (last?.approvals ?? []).filter((a) => a.grantedOn < (last?.createdOn ?? 0)).length;
    }
    assert.ok(copied > 0, 'some current patch sets carry copied votes');
  });

  it('agree with the messages on every non-copied final vote of every patch set', () => {
    for (const c of changes) {
      const ssh = toSshChange(c);
      const fromMessages = votesFromMessages(
        (ssh.comments ?? []).map((m) => ({ author: m.reviewer.username ?? '', message: m.message, date: m.timestamp })),
      );
      const fromApprovals = new Map<string, number>();
      for (const ps of ssh.patchSets ?? []) {
        for (const a of ps.approvals ?? []) {
          // Copied votes were granted before their patch set existed; no message casts them.
          if (a.grantedOn < ps.createdOn) continue;
          fromApprovals.set(`${ps.number}|${a.type}|${a.by.username}`, Number(a.value));
        }
      }
      assert.deepEqual([...fromApprovals.entries()].sort(), [...fromMessages.entries()].sort(), `change ${c.number}`);
    }
  });

  it('print REST the way Gerrit does', () => {
    const c = changes.find((x) => x.status === 'MERGED' && x.branch.startsWith('stable/')) as DemoChange;
    const rest = toRestChange(c);
    assert.equal(rest.id, `demo%2Fcompute~${encodeURIComponent(c.branch)}~${c.changeId}`);
    assert.match(rest.change_id, /^I[0-9a-f]{40}$/);
    assert.match(rest.created, REST_TIME);
    assert.match(rest.submitted ?? '', REST_TIME);
    assert.equal(rest.submitter?.username, 'zuul');
    assert.deepEqual(Object.keys(rest.labels ?? {}), ['Code-Review', 'Verified', 'Workflow']);
    for (const r of Object.values(rest.revisions ?? {})) {
      assert.match(r.ref, new RegExp(`^refs/changes/${String(c.number % 100).padStart(2, '0')}/${c.number}/${r._number}$`));
      assert.ok(r.uploader._account_id > 0 && r.uploader.email && r.uploader.name);
    }
    assert.equal(restTimestamp(Date.UTC(2024, 0, 2, 3, 4, 5)), '2024-01-02 03:04:05.000000000');
    const tags = new Set(changes.flatMap((x) => toRestChange(x).messages?.map((m) => m.tag) ?? []));
    for (const tag of [
      'autogenerated:gerrit:newPatchSet',
      'autogenerated:zuul:check',
      'autogenerated:zuul:gate',
      'autogenerated:gerrit:merged',
      'autogenerated:gerrit:abandon',
    ]) {
      assert.ok(tags.has(tag), tag);
    }
  });
});

describe('export writers', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'steward-demo-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const sha = async (path: string): Promise<string> =>
    createHash('sha256')
      .update(await readFile(path))
      .digest('hex');

  it('write byte-identical REST and SSH exports for the same options, different ones for another seed', async () => {
    const opts = { now: NOW, seed: 21, changes: 300 };
    await writeRestExport(opts, join(dir, 'a.rest'), { pageSize: 100 });
    await writeRestExport(opts, join(dir, 'b.rest'), { pageSize: 100 });
    await writeRestExport({ ...opts, seed: 22 }, join(dir, 'c.rest'), { pageSize: 100 });
    assert.equal(await sha(join(dir, 'a.rest')), await sha(join(dir, 'b.rest')));
    assert.notEqual(await sha(join(dir, 'a.rest')), await sha(join(dir, 'c.rest')));
    await writeSshExport(opts, join(dir, 'a.ssh'));
    await writeSshExport(opts, join(dir, 'b.ssh'));
    await writeSshExport({ ...opts, seed: 22 }, join(dir, 'c.ssh'));
    assert.equal(await sha(join(dir, 'a.ssh')), await sha(join(dir, 'b.ssh')));
    assert.notEqual(await sha(join(dir, 'a.ssh')), await sha(join(dir, 'c.ssh')));
  });

  it('write the REST export as the XSSI prefix and one page per line', async () => {
    const opts = { now: NOW, seed: 5, changes: 230 };
    const path = join(dir, 'pages.rest');
    const summary = await writeRestExport(opts, path, { pageSize: 100 });
    const text = await readFile(path, 'utf8');
    assert.equal(summary.changes, 230);
    assert.equal(summary.bytes, Buffer.byteLength(text));
    const lines = text.split('\n');
    assert.equal(lines[0], ")]}'");
    assert.equal(lines.at(-1), '');
    const pages = lines.slice(1, -1).map((l) => JSON.parse(l) as RestChangeInfo[]);
    assert.deepEqual(
      pages.map((p) => p.length),
      [100, 100, 30],
    );
    pages.forEach((page, i) => {
      page.forEach((c, k) => assert.equal(c._more_changes, i < pages.length - 1 && k === page.length - 1 ? true : undefined));
    });
    const expected = [...generateDemoChanges(opts)].map((c) => toRestChange(c));
    const written = pages.flat().map((c) => {
      const copy = { ...c };
      delete copy._more_changes;
      return copy;
    });
    assert.deepEqual(written, expected);
  });

  it('write the SSH export as one row per change and a closing stats row', async () => {
    const opts = { now: NOW, seed: 5, changes: 120 };
    const path = join(dir, 'rows.ssh');
    const summary = await writeSshExport(opts, path);
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    assert.equal(summary.changes, 120);
    assert.equal(lines.length, 121);
    const stats = JSON.parse(lines.at(-1) as string) as SshStatsRow;
    assert.equal(stats.type, 'stats');
    assert.equal(stats.rowCount, 120);
    assert.equal(stats.moreChanges, false);
    assert.ok(typeof stats.runTimeMilliseconds === 'number');
    const rows = lines.slice(0, -1).map((l) => JSON.parse(l) as SshChangeAttribute);
    assert.deepEqual(
      rows,
      [...generateDemoChanges(opts)].map((c) => toSshChange(c)),
    );
  });

  it('write empty exports for zero changes', async () => {
    await writeRestExport({ now: NOW, changes: 0 }, join(dir, 'empty.rest'));
    assert.equal(await readFile(join(dir, 'empty.rest'), 'utf8'), ")]}'\n[]\n");
    await writeSshExport({ now: NOW, changes: 0 }, join(dir, 'empty.ssh'));
    assert.equal(JSON.parse(await readFile(join(dir, 'empty.ssh'), 'utf8')).rowCount, 0);
  });

  it('reject when the file cannot be written', async () => {
    await assert.rejects(writeRestExport({ now: NOW, changes: 5 }, dir), /EISDIR/);
    await assert.rejects(writeSshExport({ now: NOW, changes: 5 }, join(dir, 'missing', 'x.ssh')), /ENOENT/);
    await assert.rejects(writeRestExport({ now: NOW, changes: 5 }, join(dir, 'p.rest'), { pageSize: 0 }), /pageSize/);
  });
});
