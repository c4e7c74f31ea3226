/**
 * analytics_people: each person (user id or pseudonym) of a workspace as the
 * small integer the packed day sums use (src/db/people-sums.ts). Read whole
 * per rebuild or query — one row per person, a few hundred to a few thousand —
 * so nothing is cached across transactions another connection may write in.
 */
import type { Database } from 'better-sqlite3';

export function createPeopleKeys(sqlite: Database) {
  const selectAll = sqlite.prepare('SELECT person_key, person_id FROM analytics_people WHERE team_id = ?').raw();
  const insert = sqlite.prepare('INSERT INTO analytics_people (team_id, person_key, person_id) VALUES (?, ?, ?)');

  return {
    /** Key → person id, for reading packed sums. */
    names(teamId: string): Map<number, string> {
      return new Map(selectAll.all(teamId) as [number, string][]);
    },

    /** Person id → key for writing packed sums; a new person gets the next key. Call inside the write transaction. */
    writer(teamId: string): (personId: string) => number {
      const keys = new Map<string, number>();
      let next = 1;
      for (const [key, personId] of selectAll.all(teamId) as [number, string][]) {
        keys.set(personId, key);
        if (key >= next) next = key + 1;
      }
      return (personId) => {
        let key = keys.get(personId);
        if (key === undefined) {
          key = next;
          next += 1;
          insert.run(teamId, key, personId);
          keys.set(personId, key);
        }
        return key;
      };
    },
  };
}

export type PeopleKeys = ReturnType<typeof createPeopleKeys>;
