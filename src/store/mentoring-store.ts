/**
 * Store side of mentoring (`steward core mentor add|end|list`): tracked relationships between a
 * core (mentor) and a candidate. Times come from the caller; nothing here reads the clock.
 */
import type { Kysely } from 'kysely';
import type { Mentorship } from '../model/team.js';
import type { Database } from './schema.js';

const toMentorship = (r: {
  id: number;
  candidate_id: number;
  mentor_id: number;
  started_at: number;
  ended_at: number | null;
  note: string | null;
  end_note: string | null;
}): Mentorship => ({
  id: r.id,
  candidateId: r.candidate_id,
  mentorId: r.mentor_id,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  note: r.note,
  endNote: r.end_note,
});

/**
 * Records a new mentorship starting at `startedAt`. Returns it.
 *
 * @example await addMentorship(db, { candidateId: 12, mentorId: 3, startedAt: Date.UTC(2026, 0, 5), note: 'API reviews' }, now);
 */
export async function addMentorship(
  db: Kysely<Database>,
  m: { candidateId: number; mentorId: number; startedAt: number; note: string | null },
  now: number,
): Promise<Mentorship> {
  const row = await db
    .insertInto('mentorships')
    .values({
      candidate_id: m.candidateId,
      mentor_id: m.mentorId,
      started_at: m.startedAt,
      ended_at: null,
      note: m.note,
      end_note: null,
      created_at: now,
    })
    .returning(['id', 'candidate_id', 'mentor_id', 'started_at', 'ended_at', 'note', 'end_note'])
    .executeTakeFirstOrThrow();
  return toMentorship(row);
}

/**
 * Ends the candidate's mentorships that are still running (only the one with `mentorId` when
 * given) at `endedAt`. Returns the ended ones.
 */
export async function endMentorships(
  db: Kysely<Database>,
  m: { candidateId: number; mentorId: number | null; endedAt: number; note: string | null },
): Promise<Mentorship[]> {
  return db.transaction().execute(async (trx) => {
    let q = trx.selectFrom('mentorships').select('id').where('candidate_id', '=', m.candidateId).where('ended_at', 'is', null);
    if (m.mentorId !== null) q = q.where('mentor_id', '=', m.mentorId);
    const ids = (await q.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    await trx.updateTable('mentorships').set({ ended_at: m.endedAt, end_note: m.note }).where('id', 'in', ids).execute();
    const rows = await trx.selectFrom('mentorships').selectAll().where('id', 'in', ids).orderBy('id').execute();
    return rows.map(toMentorship);
  });
}

/** Every mentorship (or only those still running), oldest first. */
export async function listMentorships(db: Kysely<Database>, opts: { activeOnly?: boolean } = {}): Promise<Mentorship[]> {
  let q = db.selectFrom('mentorships').selectAll();
  if (opts.activeOnly) q = q.where('ended_at', 'is', null);
  const rows = await q.orderBy('started_at').orderBy('id').execute();
  return rows.map(toMentorship);
}
