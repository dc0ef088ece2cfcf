#include "store/sqlite/migrations.h"

#include <string>
#include <string_view>

#include "store/sqlite/sqlite_handle.h"

namespace earshot::store::sqlite {
namespace {

// Each entry takes the schema from version i to i + 1. Never edit a shipped
// step: append a new one. docs/DESIGN.md describes the resulting schema.
constexpr std::string_view kSteps[] = {
    // 1: mentions, their word index, and running totals.
    R"sql(
CREATE TABLE mentions (
  key               INTEGER PRIMARY KEY,  -- time-ordered: created_at_ms << 20 | disambiguator
  id                TEXT NOT NULL UNIQUE, -- "<source>:<external id>"
  source            TEXT NOT NULL,
  external_id       TEXT NOT NULL,
  channel           TEXT NOT NULL,
  url               TEXT,
  site              TEXT,
  author_handle     TEXT,
  author_name       TEXT,
  author_followers  INTEGER,
  author_location   TEXT,
  author_url        TEXT,
  title             TEXT NOT NULL DEFAULT '',
  text              TEXT NOT NULL DEFAULT '',
  lang              TEXT,
  created_at        INTEGER NOT NULL,     -- ms since epoch, UTC
  lat               REAL,
  lon               REAL,
  country           TEXT,
  place             TEXT,
  in_reply_to       TEXT,
  reshare_of        TEXT,
  quote_of          TEXT,
  links             TEXT,                 -- newline-separated
  hashtags          TEXT,                 -- newline-separated, without '#'
  mentioned         TEXT,                 -- newline-separated, without '@'
  likes             INTEGER,
  reshares          INTEGER,
  replies           INTEGER,
  quotes            INTEGER,
  views             INTEGER,
  content_hash      INTEGER NOT NULL,     -- fingerprint of every field above
  ingested_at       INTEGER NOT NULL
);
CREATE VIRTUAL TABLE mentions_fts USING fts5(
  title, text,
  content = 'mentions', content_rowid = 'key',
  tokenize = 'earshot', columnsize = 0
);
CREATE TABLE totals (
  dim   TEXT NOT NULL,   -- channel | lang | source
  value TEXT NOT NULL,
  n     INTEGER NOT NULL,
  PRIMARY KEY (dim, value)
) WITHOUT ROWID;
)sql",
    // 2: enrichment columns, watches and the mentions each watch matched.
    R"sql(
ALTER TABLE mentions ADD COLUMN lang_detected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mentions ADD COLUMN sentiment REAL;      -- compound in [-1, 1]
ALTER TABLE mentions ADD COLUMN intents TEXT;        -- "label confidence" lines
ALTER TABLE mentions ADD COLUMN story_id TEXT;       -- near-duplicate cluster
CREATE TABLE watches (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  query       TEXT NOT NULL,
  grp         TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  matches     INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE mention_watches (
  watch_id   INTEGER NOT NULL,
  key        INTEGER NOT NULL,   -- mentions.key
  terms      TEXT,               -- matched query atoms, newline-separated
  sentiment  REAL,               -- target-level sentiment for this watch
  PRIMARY KEY (watch_id, key)
) WITHOUT ROWID;
CREATE INDEX mention_watches_by_key ON mention_watches (key);
CREATE TABLE meta (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (name, value) VALUES ('watch_set_version', 0);
)sql",
    // 3: resolved city, rollups, retention and expired ids. Rollups of a
    // store that has mentions already are computed after this step.
    R"sql(
ALTER TABLE mentions ADD COLUMN city TEXT;
CREATE TABLE rollups (
  watch_id    INTEGER NOT NULL,   -- 0: every mention
  grain       INTEGER NOT NULL,   -- 0: UTC hour, 1: UTC day
  dim         INTEGER NOT NULL,   -- 0 total, 1 channel, 2 lang, 3 country, 4 site
  t           INTEGER NOT NULL,   -- bucket start, ms since epoch
  value       TEXT NOT NULL,      -- the dimension's value ('' for the total)
  n           INTEGER NOT NULL,
  pos         INTEGER NOT NULL,
  neg         INTEGER NOT NULL,
  neu         INTEGER NOT NULL,
  reach       INTEGER NOT NULL,   -- sum of author followers
  engagement  INTEGER NOT NULL,   -- sum of likes, reshares, replies, quotes
  PRIMARY KEY (watch_id, grain, dim, t, value)
) WITHOUT ROWID;
CREATE TABLE retention (
  source  TEXT PRIMARY KEY,
  days    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE expired (
  id_hash  INTEGER PRIMARY KEY    -- Hash64 of the mention id
);
INSERT INTO meta (name, value) VALUES ('expired_mentions', 0);
INSERT INTO meta (name, value) VALUES ('rollups_pending', 1);
)sql",
    // 4: one-word hashtags get their own index term ("#tag", colocated with
    // the word): the index is rebuilt with the tokenizer that emits them.
    R"sql(
INSERT INTO mentions_fts (mentions_fts) VALUES ('rebuild');
)sql",
    // 5: rollups of channel, language and country together (dim 5), so
    // filters that combine them answer from rollups; computed after this step.
    R"sql(
INSERT INTO meta (name, value) VALUES ('facet_rollups_pending', 1);
)sql",
    // 6: rollups keyed by grain, dimension, then time. A batch's upserts
    // then land in the few hours and days it covers; keyed watch first,
    // every matched watch's rows sat on pages of their own, and each commit
    // rewrote most of them. One dimension of every watch over a range is one
    // index range (spike checks of all watches). Watches keep no hourly
    // channel, language or country rows: those are summed from facet rows.
    R"sql(
CREATE TABLE rollups_by_time (
  grain       INTEGER NOT NULL,
  t           INTEGER NOT NULL,
  watch_id    INTEGER NOT NULL,
  dim         INTEGER NOT NULL,
  value       TEXT NOT NULL,
  n           INTEGER NOT NULL,
  pos         INTEGER NOT NULL,
  neg         INTEGER NOT NULL,
  neu         INTEGER NOT NULL,
  reach       INTEGER NOT NULL,
  engagement  INTEGER NOT NULL,
  PRIMARY KEY (grain, dim, t, watch_id, value)
) WITHOUT ROWID;
INSERT INTO rollups_by_time (grain, t, watch_id, dim, value, n, pos, neg, neu, reach, engagement)
  SELECT grain, t, watch_id, dim, value, n, pos, neg, neu, reach, engagement FROM rollups
  WHERE watch_id = 0 OR grain = 1 OR dim NOT IN (1, 2, 3);
DROP TABLE rollups;
ALTER TABLE rollups_by_time RENAME TO rollups;
)sql",
    // 7: an exact copy of a stored text (a reshare, a copy-paste) keeps an
    // empty text and the key of the mention that holds it. The word index
    // reads its content through a view that resolves the copies, so a
    // rebuild or an integrity check sees every mention's own words.
    R"sql(
ALTER TABLE mentions ADD COLUMN text_of INTEGER;  -- key of the mention holding this one's text
CREATE INDEX mentions_by_text_of ON mentions (text_of) WHERE text_of IS NOT NULL;
CREATE VIEW mention_texts AS
  SELECT m.key AS key, m.title AS title,
         CASE WHEN m.text_of IS NULL THEN m.text
              ELSE (SELECT h.text FROM mentions h WHERE h.key = m.text_of) END AS text
  FROM mentions m;
DROP TABLE mentions_fts;
CREATE VIRTUAL TABLE mentions_fts USING fts5(
  title, text,
  content = 'mention_texts', content_rowid = 'key',
  tokenize = 'earshot', columnsize = 0
);
INSERT INTO mentions_fts (mentions_fts) VALUES ('rebuild');
)sql",
    // 8: the word index merges its segments 8 at a time, not 4: each posting
    // is rewritten on fewer levels as the index grows (ingest about 7 % less
    // CPU), for a few more segments per term to read at query time.
    R"sql(
INSERT INTO mentions_fts (mentions_fts, rank) VALUES ('automerge', 8);
)sql",
    // 9: the store records how its row keys encode time (key_layout.h). A
    // new store takes 16 keys per millisecond in arrival order; one that has
    // mentions keeps 2^20 (their low bits came from the id's hash) and
    // records how far probing pushed any key past its millisecond.
    R"sql(
INSERT OR IGNORE INTO meta (name, value)
  SELECT 'key_shift', CASE WHEN EXISTS (SELECT 1 FROM mentions) THEN 20 ELSE 4 END;
INSERT OR IGNORE INTO meta (name, value)
  SELECT 'key_spill', CASE WHEN past >= 1048576 THEN past ELSE 0 END
  FROM (SELECT coalesce(max(key - (max(created_at, 0) << 20)), 0) AS past FROM mentions);
)sql",
    // 10: the word index lists text before title and merges 16 segments at
    // a time. A posting in any column but the first carries the column's
    // number, two bytes; most mentions have no title, so text goes first (2 %
    // fewer ingest instructions). A batch's index writes are one segment
    // (index_queue.h), so a level now holds 16 batches before it is
    // rewritten: 3 % fewer at 300,000 mentions, and more as the index grows,
    // for about 5 % slower searches. The index is rebuilt from the rows.
    R"sql(
DROP TABLE mentions_fts;
CREATE VIRTUAL TABLE mentions_fts USING fts5(
  text, title,
  content = 'mention_texts', content_rowid = 'key',
  tokenize = 'earshot', columnsize = 0
);
INSERT INTO mentions_fts (mentions_fts, rank) VALUES ('automerge', 16);
INSERT INTO mentions_fts (mentions_fts) VALUES ('rebuild');
)sql",
};

}  // namespace

int CurrentSchemaVersion() { return static_cast<int>(std::size(kSteps)); }

namespace {

Result<int> SchemaVersion(sqlite3* db) {
  EARSHOT_ASSIGN_OR_RETURN(Stmt q, Stmt::Prepare(db, "PRAGMA user_version"));
  EARSHOT_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? static_cast<int>(q.Int(0)) : 0;
}

}  // namespace

Status CheckSchemaCurrent(sqlite3* db) {
  EARSHOT_ASSIGN_OR_RETURN(int version, SchemaVersion(db));
  if (version == CurrentSchemaVersion()) return Status::Ok();
  return Status::FailedPrecondition(
      "the data directory has schema version " + std::to_string(version) + " and this build reads version " +
      std::to_string(CurrentSchemaVersion()) +
      (version < CurrentSchemaVersion() ? "; `earshot migrate` upgrades it" : ""));
}

Status Migrate(sqlite3* db) {
  EARSHOT_ASSIGN_OR_RETURN(int version, SchemaVersion(db));
  if (version > CurrentSchemaVersion()) {
    return Status::FailedPrecondition("the data directory has schema version " + std::to_string(version) +
                                      ", newer than this build's " + std::to_string(CurrentSchemaVersion()));
  }
  for (int v = version; v < CurrentSchemaVersion(); ++v) {
    EARSHOT_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
    Status st = Exec(db, kSteps[v]);
    if (st.ok()) st = Exec(db, "PRAGMA user_version = " + std::to_string(v + 1));
    if (!st.ok()) {
      (void)Exec(db, "ROLLBACK");
      return st.WithContext("migration to schema version " + std::to_string(v + 1));
    }
    EARSHOT_RETURN_IF_ERROR(Exec(db, "COMMIT"));
  }
  return Status::Ok();
}

}  // namespace earshot::store::sqlite
