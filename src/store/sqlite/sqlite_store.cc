#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>
#include <utility>

#include "core/hash.h"
#include "core/strings.h"
#include "core/time.h"
#include "store/sqlite/fts_query.h"
#include "store/sqlite/fts_tokenizer.h"
#include "store/sqlite/index_queue.h"
#include "store/sqlite/key_layout.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/rollups.h"
#include "store/sqlite/sqlite_handle.h"
#include "store/sqlite/text_holders.h"

namespace earshot::store::sqlite {
namespace {

// Attempts at a row key before giving up (key_layout.h). The second goes to
// the first key after the run of taken ones, which is free: more would mean
// a bug, not a busy millisecond.
constexpr int kMaxProbes = 4;
// Milliseconds the writer remembers the last key of (see InsertRow).
constexpr size_t kKeyHints = 4096;

std::vector<std::string> SplitLines(std::string_view s);

// The text of row `m`: its own, or its holder's when it is an exact copy.
#define EARSHOT_RESOLVED_TEXT \
  "CASE WHEN m.text_of IS NULL THEN m.text ELSE (SELECT h.text FROM mentions h WHERE h.key = m.text_of) END"

// Texts shorter than this are stored in every row: a reference to a holder
// costs about as much, and a lookup more.
constexpr size_t kMinSharedText = 24;
// A copy refers only to a holder this close in time; a later copy holds the
// text anew. Copies then sit next to their holders in the text_of index (a
// commit rewrites the pages it touched, and holders all over the table made
// it touch most of them), and a text repeated for months is stored once a day.
constexpr int64_t kMaxHolderDistanceMs = 24LL * 3600 * 1000;

constexpr std::string_view kColumns =
    "m.id, m.source, m.external_id, m.channel, m.url, m.site, m.author_handle, m.author_name, "
    "m.author_followers, m.author_location, m.author_url, m.title, " EARSHOT_RESOLVED_TEXT ", m.lang, m.created_at, "
    "m.lat, m.lon, m.country, m.place, m.in_reply_to, m.reshare_of, m.quote_of, m.links, m.hashtags, "
    "m.mentioned, m.likes, m.reshares, m.replies, m.quotes, m.views, m.lang_detected, m.sentiment, m.intents, "
    "m.story_id, m.city";
constexpr int kColumnCount = 35;

std::string EncodeIntents(const std::vector<IntentScore>& intents) {
  std::string out;
  for (const IntentScore& i : intents) {
    if (!out.empty()) out.push_back('\n');
    char conf[16];
    std::snprintf(conf, sizeof conf, "%.3f", i.confidence);
    out += i.label + " " + conf;
  }
  return out;
}

std::vector<IntentScore> DecodeIntents(std::string_view s) {
  std::vector<IntentScore> out;
  for (std::string_view line : SplitLines(s)) {
    size_t sp = line.rfind(' ');
    if (sp == std::string_view::npos) continue;
    out.push_back({std::string(line.substr(0, sp)), ParseDouble(line.substr(sp + 1)).value_or(0)});
  }
  return out;
}

std::string JoinLines(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out.push_back('\n');
    for (char c : s) out.push_back(c == '\n' ? ' ' : c);
  }
  return out;
}

std::vector<std::string> SplitLines(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  for (std::string_view part : Split(s, '\n')) out.emplace_back(part);
  return out;
}

int64_t CountOrUnknown(const Stmt& s, int col) { return s.IsNull(col) ? -1 : s.Int(col); }

Mention DecodeRow(const Stmt& s) {
  Mention m;
  m.id = s.Text(0);
  m.source = s.Text(1);
  m.external_id = s.Text(2);
  m.channel = ParseChannel(s.Text(3)).value_or(Channel::kOther);
  m.url = s.Text(4);
  m.site = s.Text(5);
  m.author.handle = s.Text(6);
  m.author.display_name = s.Text(7);
  m.author.followers = CountOrUnknown(s, 8);
  m.author.profile_location = s.Text(9);
  m.author.profile_url = s.Text(10);
  m.title = s.Text(11);
  m.text = s.Text(12);
  m.language = s.Text(13);
  m.created_at_ms = s.Int(14);
  if (!s.IsNull(15) && !s.IsNull(16)) {
    m.geo.lat = s.Double(15);
    m.geo.lon = s.Double(16);
  }
  m.geo.country = s.Text(17);
  m.geo.place = s.Text(18);
  m.in_reply_to = s.Text(19);
  m.reshare_of = s.Text(20);
  m.quote_of = s.Text(21);
  m.links = SplitLines(s.Text(22));
  m.hashtags = SplitLines(s.Text(23));
  m.mentioned = SplitLines(s.Text(24));
  m.engagement.likes = CountOrUnknown(s, 25);
  m.engagement.reshares = CountOrUnknown(s, 26);
  m.engagement.replies = CountOrUnknown(s, 27);
  m.engagement.quotes = CountOrUnknown(s, 28);
  m.engagement.views = CountOrUnknown(s, 29);
  m.language_detected = s.Int(30) != 0;
  if (!s.IsNull(31)) m.sentiment = s.Double(31);
  m.intents = DecodeIntents(s.Text(32));
  m.story_id = s.Text(33);
  m.geo.city = s.Text(34);
  return m;
}

// Fingerprints every stored field, so a re-ingest of identical content
// writes nothing and an edit or a new engagement count updates the row.
uint64_t ContentHash(const Mention& m, std::string& buf) {
  buf.clear();
  auto add = [&](std::string_view s) {
    buf.append(s);
    buf.push_back('\x1f');
  };
  auto addn = [&](int64_t v) {  // the digits of std::to_string, without building a string
    char digits[24];
    add(std::string_view(digits, static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, v).ptr - digits)));
  };
  add(m.id);
  add(ChannelName(m.channel));
  add(m.url);
  add(m.site);
  add(m.author.handle);
  add(m.author.display_name);
  addn(m.author.followers);
  add(m.author.profile_location);
  add(m.author.profile_url);
  add(m.title);
  add(m.text);
  add(m.language);
  addn(m.created_at_ms);
  add(m.geo.lat ? std::to_string(*m.geo.lat) : "");
  add(m.geo.lon ? std::to_string(*m.geo.lon) : "");
  add(m.geo.country);
  add(m.geo.place);
  add(m.geo.city);
  add(m.in_reply_to);
  add(m.reshare_of);
  add(m.quote_of);
  for (const auto* list : {&m.links, &m.hashtags, &m.mentioned}) {
    for (const std::string& s : *list) add(s);
    add("\x1e");
  }
  addn(m.engagement.likes);
  addn(m.engagement.reshares);
  addn(m.engagement.replies);
  addn(m.engagement.quotes);
  addn(m.engagement.views);
  addn(m.language_detected);
  add(m.sentiment ? std::to_string(*m.sentiment) : "");
  for (const IntentScore& i : m.intents) add(i.label + std::to_string(i.confidence));
  add(m.story_id);
  for (const WatchMatch& w : m.watches) {
    addn(w.watch_id);
    for (const std::string& t : w.terms) add(t);
    add(w.sentiment ? std::to_string(*w.sentiment) : "");
  }
  return Hash64(buf);
}

std::string LangKey(std::string_view lang) { return lang.empty() ? "und" : std::string(lang); }

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);

  Result<WriteSummary> WriteBatch(std::span<const Mention> batch) override;
  Result<Mention> Get(std::string_view id) override;
  bool IndexIsExact(const match::IndexPlan& plan) override;
  Status ScanCandidates(const match::IndexPlan& plan, const ScanOptions& options,
                        const MentionVisitor& visit) override;
  Result<int64_t> CountCandidates(const match::IndexPlan& plan, const ScanOptions& options) override;
  Result<StoreStats> Stats() override;
  Status CheckConsistency() override;
  Status Checkpoint() override;
  Result<Watch> AddWatch(const std::string& name, const std::string& query, const std::string& group) override;
  Result<std::vector<Watch>> ListWatches() override;
  Status RemoveWatch(const std::string& name) override;
  Result<int64_t> WatchSetVersion() override;
  Result<int64_t> Backfill(int64_t watch_id, const match::IndexPlan& plan,
                           const std::function<bool(const Mention&, WatchMatch*)>& decide) override;
  Status ScanRollups(const RollupScan& scan, const std::function<void(const RollupCell&)>& visit) override;
  Status ScanRollupsOfAllWatches(RollupGrain grain, RollupDim dim, int64_t from_ms, int64_t to_ms,
                                 const std::function<void(int64_t, const RollupCell&)>& visit) override;
  Status ScanWatchMentions(int64_t watch_id, const ScanOptions& options, const MentionVisitor& visit) override;
  Result<std::vector<AuthorActivity>> TopAuthors(int64_t watch_id, const ScanOptions& options, int limit) override;
  Result<int64_t> Expire(const ExpireOptions& options) override;
  Status SetRetention(const std::string& source, int days) override;
  Result<std::vector<RetentionPolicy>> ListRetention() override;

 private:
  struct Existing {
    int64_t key = 0;
    int64_t hash = 0;
    std::string title, text;  // the text resolved when the row is a copy
    bool copy = false;        // its text is held by another row (text_of)
    RollupFact fact;
  };
  // Per-batch deltas of the totals table, keyed by (dimension, value).
  using Totals = std::map<std::pair<std::string_view, std::string>, int64_t, std::less<>>;

  SqliteStore(DbHandle db, const StoreOptions& options) : db_(std::move(db)), options_(options) {}
  Status PrepareWriters();
  Result<std::optional<Existing>> Lookup(const std::string& id);
  // The key layout with the spill committed so far (another connection may
  // have raised it): read before each time-bounded query.
  Result<KeyLayout> CurrentLayout();
  // The first key after `taken` (a key some row holds) that no row holds.
  Result<int64_t> NextFreeKey(int64_t taken);
  // Inserts `m` under a free key near its time. Returns the key, or
  // AlreadyExists when a row with the same id exists.
  // A row whose text equals `text_holder`'s stores a reference to it instead.
  Result<int64_t> InsertRow(const Mention& m, uint64_t hash, std::optional<int64_t> text_holder);
  // Clears holders_ when another connection has committed since the last
  // call: it may have deleted or replaced rows the table names.
  Status SyncTextHolders();
  // The holder of `text` if it is within kMaxHolderDistanceMs of created_at_ms.
  std::optional<int64_t> HolderNear(const TextHolders::Fingerprint& text, int64_t created_at_ms) const;
  // Before a holder row goes, its newest copy takes the text and the other
  // copies point to that one. The newest: expiry deletes oldest first, so
  // the text moves once, not once per copy (each move repoints the rest).
  Status PromoteCopy(const Existing& e);
  void BindRow(const Mention& m, int64_t key, uint64_t hash);
  // Deletes the row and its watch matches, and queues the removal of its
  // words on index_ (the caller applies the queue before it commits).
  Status DeleteRow(Existing e);
  Status RecordWatches(const Mention& m, int64_t key, const RollupFact& fact);
  Result<bool> IsExpired(const std::string& id);
  Status ExpireKeys(const std::vector<int64_t>& keys);
  Status ApplyWatchDeltas();
  Status BumpWatchSetVersion();
  Result<WriteOutcome> WriteOne(const Mention& m, Totals& totals, bool* text_copy);
  Status ApplyTotals(const Totals& totals);
  // Deletes the rollup rows of one watch (in the caller's transaction).
  Status DeleteWatchRollups(int64_t watch_id);
  // Sums n over every stored bucket of (watch, grain, dim), of the rows
  // whose value equals `value_nocase` case-insensitively when it is given.
  Result<int64_t> SumRollups(int64_t watch_id, RollupGrain grain, RollupDim dim,
                             std::optional<std::string_view> value_nocase);
  // Counts the mentions with one facet value from the rollups; nullopt for
  // facets rollups do not keep.
  Result<std::optional<int64_t>> CountFacet(const match::FieldFilter& f);
  // Builds the candidate SQL: SELECT `what` ... for plan and options.
  Result<Stmt> CandidateStmt(const match::IndexPlan& plan, const ScanOptions& options, std::string_view what,
                             bool ordered, bool* none);

  DbHandle db_;
  StmtCache reads_{db_.get()};  // fixed read statements (after db_: destroyed first)
  StoreOptions options_;
  std::string hash_buf_;
  // Per-batch deltas of watches.matches, by watch id.
  std::map<int64_t, int64_t> watch_deltas_;
  Stmt mw_insert_, mw_delete_, watch_count_;
  Stmt lookup_, insert_, update_, delete_, fts_insert_, fts_delete_, totals_;
  Stmt expired_lookup_;
  Stmt data_version_, newest_copy_, promote_, repoint_;
  TextHolders holders_;
  IndexQueue index_;  // the open transaction's word-index writes
  KeyLayout layout_;  // spill as of this connection's last read or write
  int64_t batch_spill_ = 0;  // the largest spill of the batch being written
  // The last key taken at recently written milliseconds' Floors, direct
  // mapped (no allocation per mention): the next mention of a burst tries
  // the key after it, not every taken one. A hint is only a first guess (a
  // taken key is probed on), cleared with holders_ all the same.
  struct KeyHint {
    int64_t floor = -1, key = 0;
  };
  std::vector<KeyHint> key_hints_ = std::vector<KeyHint>(kKeyHints);
  void ClearKeyHints() { std::fill(key_hints_.begin(), key_hints_.end(), KeyHint{}); }
  Stmt next_key_;
  int64_t data_version_seen_ = -1;
  RollupDeltas rollups_;
  int64_t batch_now_ms_ = 0;  // ingested_at of the batch being written
  int64_t expired_count_ = 0;  // ids expired so far: re-ingests of them are skipped
};

// Reads one integer from meta (0 when absent).
Result<int64_t> MetaValue(sqlite3* db, std::string_view name) {
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db, "SELECT value FROM meta WHERE name = ?1"));
  s.BindText(1, name);
  EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Int(0) : 0;
}

constexpr int kNewPageSize = 16384;

Result<std::unique_ptr<Store>> SqliteStore::Open(const StoreOptions& options) {
  if (options.data_dir.empty()) return Status::InvalidArgument("StoreOptions.data_dir is empty");
  if (options.cache_mib <= 0) return Status::InvalidArgument("StoreOptions.cache_mib must be positive");
  std::error_code ec;
  std::filesystem::path dir(options.data_dir);
  if (!options.read_only) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IOError("cannot create data directory '" + options.data_dir + "': " + ec.message());
  }
  std::string path = (dir / "earshot.db").string();
  if (options.read_only && !std::filesystem::exists(path)) {
    return Status::NotFound("no Earshot data in '" + options.data_dir + "' (run `earshot ingest` first)");
  }
  // SQLite's memory statistics take a process-wide mutex around every
  // allocation (a few per row written). Earshot never reads them. The
  // setting holds only if no SQLite call came before: the store is opened
  // first by every command; elsewhere the call fails harmlessly.
  static std::once_flag no_memstatus;
  std::call_once(no_memstatus, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* raw = nullptr;
  int flags = options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) return SqliteError(raw, rc, "open '" + path + "'");
  sqlite3_busy_timeout(db.get(), options.busy_timeout_ms);
  sqlite3_extended_result_codes(db.get(), 1);
  EARSHOT_RETURN_IF_ERROR(RegisterEarshotTokenizer(db.get()));
  // Memory-mapped reads spare a copy per page read (FTS5 merges re-read
  // segments) and survive what the page cache does not: a connection drops
  // its cache whenever another one commits, which a server's readers see
  // many times a second. SQLite caps the size at its compile-time maximum.
  std::string pragmas = "PRAGMA cache_size = -" + std::to_string(options.cache_mib * 1024) +
                        "; PRAGMA mmap_size = 68719476736;";
  if (!options.read_only) {
    // A new database gets 16 KiB pages (a page size is fixed once the file
    // exists): a commit writes each dirty page as a WAL frame, one write
    // call for its header and one for its page, and with 4 KiB pages those
    // calls cost about a tenth of ingest. FTS5's segments and the rows fill
    // the larger pages well.
    pragmas += "PRAGMA page_size = " + std::to_string(kNewPageSize) + ";";
    pragmas += "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;";
    pragmas += options.durability == StoreOptions::Durability::kFull ? "PRAGMA synchronous = FULL;"
                                                                     : "PRAGMA synchronous = NORMAL;";
  }
  EARSHOT_RETURN_IF_ERROR(Exec(db.get(), pragmas).WithContext(path));
  if (!options.read_only) {
    // Checkpoints copy the WAL into the database and fsync both; at the
    // default 1,000 pages they dominate ingest time on slow disks: every
    // 64 MiB of WAL instead (stores made before 16 KiB pages keep 4 KiB).
    int64_t checkpoint_pages = 0;
    if (options.auto_checkpoint) {
      EARSHOT_ASSIGN_OR_RETURN(Stmt q, Stmt::Prepare(db.get(), "PRAGMA page_size"));
      EARSHOT_ASSIGN_OR_RETURN(bool row, q.Step());
      checkpoint_pages = (int64_t{64} << 20) / std::max<int64_t>(row ? q.Int(0) : 4096, 512);
    }
    EARSHOT_RETURN_IF_ERROR(
        Exec(db.get(), "PRAGMA wal_autocheckpoint = " + std::to_string(checkpoint_pages)).WithContext(path));
    EARSHOT_RETURN_IF_ERROR(Migrate(db.get()).WithContext(path));
  }
  if (options.read_only) EARSHOT_RETURN_IF_ERROR(CheckSchemaCurrent(db.get()).WithContext(path));
  auto store = std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db), options));
  EARSHOT_ASSIGN_OR_RETURN(store->expired_count_, MetaValue(store->db_.get(), "expired_mentions"));
  EARSHOT_ASSIGN_OR_RETURN(int64_t shift, MetaValue(store->db_.get(), "key_shift"));
  if (shift < 1 || shift > 40) return Status::Corruption("meta key_shift is " + std::to_string(shift) + " in " + path);
  store->layout_.shift = static_cast<int>(shift);
  EARSHOT_ASSIGN_OR_RETURN(store->layout_.spill, MetaValue(store->db_.get(), "key_spill"));
  if (!options.read_only) EARSHOT_RETURN_IF_ERROR(store->PrepareWriters());
  return std::unique_ptr<Store>(std::move(store));
}

Status SqliteStore::PrepareWriters() {
  sqlite3* db = db_.get();
  // A store migrated from before rollups gets them computed once, here.
  EARSHOT_ASSIGN_OR_RETURN(int64_t pending, MetaValue(db, "rollups_pending"));
  if (pending != 0) {
    EARSHOT_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
    Status st = Exec(db, RebuildRollupsSql() + "UPDATE meta SET value = 0 WHERE name = 'rollups_pending';");
    if (!st.ok()) {
      (void)Exec(db, "ROLLBACK");
      return st.WithContext("compute rollups of stored mentions");
    }
    EARSHOT_RETURN_IF_ERROR(Exec(db, "COMMIT"));
  }
  EARSHOT_ASSIGN_OR_RETURN(int64_t facets_pending, MetaValue(db, "facet_rollups_pending"));
  if (facets_pending != 0) {
    EARSHOT_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
    Status st = Exec(db, RebuildRollupsSql(static_cast<int>(RollupDim::kFacets)) +
                             "UPDATE meta SET value = 0 WHERE name = 'facet_rollups_pending';");
    if (!st.ok()) {
      (void)Exec(db, "ROLLBACK");
      return st.WithContext("compute facet rollups of stored mentions");
    }
    EARSHOT_RETURN_IF_ERROR(Exec(db, "COMMIT"));
  }
  EARSHOT_RETURN_IF_ERROR(rollups_.Prepare(db));
  EARSHOT_ASSIGN_OR_RETURN(expired_lookup_, Stmt::Prepare(db, "SELECT 1 FROM expired WHERE id_hash = ?1"));
  EARSHOT_ASSIGN_OR_RETURN(lookup_, Stmt::Prepare(db, "SELECT m.key, m.content_hash, m.created_at, m.title, "
                                                      EARSHOT_RESOLVED_TEXT ", m.channel, m.lang, m.country, "
                                                      "m.site, m.sentiment, m.author_followers, m.likes, "
                                                      "m.reshares, m.replies, m.quotes, m.text_of IS NOT NULL "
                                                      "FROM mentions m WHERE m.id = ?1"));
  EARSHOT_ASSIGN_OR_RETURN(
      insert_,
      Stmt::Prepare(db,
                    "INSERT INTO mentions (key, id, source, external_id, channel, url, site, author_handle, "
                    "author_name, author_followers, author_location, author_url, title, text, lang, created_at, lat, "
                    "lon, country, place, in_reply_to, reshare_of, quote_of, links, hashtags, mentioned, likes, "
                    "reshares, replies, quotes, views, content_hash, lang_detected, sentiment, intents, story_id, city, "
                    "text_of, ingested_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
                    "?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39)"));
  EARSHOT_ASSIGN_OR_RETURN(data_version_, Stmt::Prepare(db, "PRAGMA data_version"));
  // Walks the run of taken keys from ?1 to its end: one row for a pair of
  // mentions in one millisecond; a burst's run once per connection, after
  // which InsertRow's hints continue it.
  EARSHOT_ASSIGN_OR_RETURN(next_key_, Stmt::Prepare(db, "SELECT m.key + 1 FROM mentions m WHERE m.key >= ?1 AND NOT "
                                                        "EXISTS (SELECT 1 FROM mentions n WHERE n.key = m.key + 1) "
                                                        "ORDER BY m.key LIMIT 1"));
  EARSHOT_ASSIGN_OR_RETURN(newest_copy_, Stmt::Prepare(db, "SELECT key FROM mentions WHERE text_of = ?1 ORDER BY "
                                                           "key DESC LIMIT 1"));
  EARSHOT_ASSIGN_OR_RETURN(promote_,
                           Stmt::Prepare(db, "UPDATE mentions SET text = ?2, text_of = NULL WHERE key = ?1"));
  EARSHOT_ASSIGN_OR_RETURN(repoint_, Stmt::Prepare(db, "UPDATE mentions SET text_of = ?2 WHERE text_of = ?1"));
  EARSHOT_ASSIGN_OR_RETURN(delete_, Stmt::Prepare(db, "DELETE FROM mentions WHERE key = ?1"));
  EARSHOT_ASSIGN_OR_RETURN(fts_insert_,
                           Stmt::Prepare(db, "INSERT INTO mentions_fts (rowid, title, text) VALUES (?1, ?2, ?3)"));
  EARSHOT_ASSIGN_OR_RETURN(fts_delete_, Stmt::Prepare(db, "INSERT INTO mentions_fts (mentions_fts, rowid, title, "
                                                          "text) VALUES ('delete', ?1, ?2, ?3)"));
  // OR IGNORE, not OR REPLACE: a statement that may replace rows needs a
  // statement journal, and opening one makes FTS5 flush its pending terms
  // to a new segment - per matched mention, which multiplied index merges.
  // A fresh key has no rows here (DeleteRow and Backfill clear them first).
  EARSHOT_ASSIGN_OR_RETURN(mw_insert_, Stmt::Prepare(db, "INSERT OR IGNORE INTO mention_watches (watch_id, key, "
                                                         "terms, sentiment) SELECT ?1, ?2, ?3, ?4 WHERE EXISTS "
                                                         "(SELECT 1 FROM watches WHERE id = ?1)"));
  EARSHOT_ASSIGN_OR_RETURN(mw_delete_, Stmt::Prepare(db, "DELETE FROM mention_watches WHERE key = ?1 RETURNING "
                                                         "watch_id, sentiment"));
  EARSHOT_ASSIGN_OR_RETURN(watch_count_,
                           Stmt::Prepare(db, "UPDATE watches SET matches = matches + ?2 WHERE id = ?1"));
  EARSHOT_ASSIGN_OR_RETURN(totals_, Stmt::Prepare(db, "INSERT INTO totals (dim, value, n) VALUES (?1, ?2, ?3) "
                                                      "ON CONFLICT (dim, value) DO UPDATE SET n = n + excluded.n"));
  return Status::Ok();
}

Result<std::optional<SqliteStore::Existing>> SqliteStore::Lookup(const std::string& id) {
  StmtResetter reset(lookup_);
  lookup_.BindText(1, id);
  EARSHOT_ASSIGN_OR_RETURN(bool row, lookup_.Step());
  if (!row) return std::optional<Existing>();
  const Stmt& q = lookup_;
  Existing e;
  e.key = q.Int(0);
  e.hash = q.Int(1);
  e.title = q.Text(3);
  e.text = q.Text(4);
  RollupFact& f = e.fact;
  f.created_at_ms = q.Int(2);
  f.channel = q.Text(5);
  f.lang = q.IsNull(6) ? "und" : std::string(q.Text(6));
  f.country = q.Text(7);
  f.site = q.Text(8);
  if (!q.IsNull(9)) f.sentiment = q.Double(9);
  f.reach = q.Int(10);  // NULL reads as 0, as rollups count unknowns
  f.engagement = q.Int(11) + q.Int(12) + q.Int(13) + q.Int(14);
  e.copy = q.Int(15) != 0;
  return std::optional<Existing>(std::move(e));
}

void SqliteStore::BindRow(const Mention& m, int64_t key, uint64_t hash) {
  Stmt& s = insert_;  // reset (every parameter NULL) by Prepare or the last RunRc
  s.BindInt(1, key);
  s.BindText(2, m.id);
  s.BindText(3, m.source);
  s.BindText(4, m.external_id);
  s.BindText(5, ChannelName(m.channel));
  s.BindTextIfAny(6, m.url);
  s.BindTextIfAny(7, m.site);
  s.BindTextIfAny(8, m.author.handle);
  s.BindTextIfAny(9, m.author.display_name);
  s.BindCountIfKnown(10, m.author.followers);
  s.BindTextIfAny(11, m.author.profile_location);
  s.BindTextIfAny(12, m.author.profile_url);
  s.BindText(13, m.title);
  s.BindText(14, m.text);
  s.BindTextIfAny(15, m.language);
  s.BindInt(16, m.created_at_ms);
  if (m.geo.lat && m.geo.lon) {
    s.BindDouble(17, *m.geo.lat);
    s.BindDouble(18, *m.geo.lon);
  }
  s.BindTextIfAny(19, m.geo.country);
  s.BindTextIfAny(20, m.geo.place);
  s.BindTextIfAny(21, m.in_reply_to);
  s.BindTextIfAny(22, m.reshare_of);
  s.BindTextIfAny(23, m.quote_of);
  s.BindCountIfKnown(27, m.engagement.likes);
  s.BindCountIfKnown(28, m.engagement.reshares);
  s.BindCountIfKnown(29, m.engagement.replies);
  s.BindCountIfKnown(30, m.engagement.quotes);
  s.BindCountIfKnown(31, m.engagement.views);
  s.BindInt(32, static_cast<int64_t>(hash));
  s.BindInt(39, batch_now_ms_);
  s.BindInt(33, m.language_detected ? 1 : 0);
  if (m.sentiment) s.BindDouble(34, *m.sentiment);
}

Result<int64_t> SqliteStore::InsertRow(const Mention& m, uint64_t hash, std::optional<int64_t> text_holder) {
  // Insert first and look up only on conflict: a fresh mention (the common
  // case) costs one B-tree descent per index, not two.
  // A millisecond's first mention takes its Floor; the next ones of a burst
  // the key after the last one taken, so keys follow arrival order.
  const int64_t floor = layout_.Floor(m.created_at_ms);
  KeyHint& hint = key_hints_[static_cast<uint64_t>(floor >> layout_.shift) % kKeyHints];
  int64_t key = hint.floor == floor ? hint.key + 1 : floor;
  std::string links = JoinLines(m.links), tags = JoinLines(m.hashtags), handles = JoinLines(m.mentioned);
  std::string intents = EncodeIntents(m.intents);
  for (int probe = 0; probe < kMaxProbes; ++probe) {
    BindRow(m, key, hash);
    insert_.BindTextIfAny(24, links);
    insert_.BindTextIfAny(25, tags);
    insert_.BindTextIfAny(26, handles);
    insert_.BindTextIfAny(35, intents);
    insert_.BindTextIfAny(36, m.story_id);
    insert_.BindTextIfAny(37, m.geo.city);
    if (text_holder) {
      insert_.BindText(14, "");
      insert_.BindInt(38, *text_holder);
    }
    int rc = insert_.RunRc();
    if (rc == SQLITE_DONE) {
      hint = KeyHint{floor, key};
      batch_spill_ = std::max(batch_spill_, layout_.SpillOf(key, m.created_at_ms));
      return key;
    }
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {  // another mention at the same instant
      EARSHOT_ASSIGN_OR_RETURN(key, NextFreeKey(key));
      continue;
    }
    if (rc == SQLITE_CONSTRAINT_UNIQUE) return Status::AlreadyExists(m.id);
    return SqliteError(db_.get(), rc, "insert mention '" + m.id + "'");
  }
  return Status::ResourceExhausted("no free row key near created_at of mention '" + m.id + "'");
}

Result<int64_t> SqliteStore::NextFreeKey(int64_t taken) {
  StmtResetter reset(next_key_);
  next_key_.BindInt(1, taken);
  EARSHOT_ASSIGN_OR_RETURN(bool row, next_key_.Step());
  return row ? next_key_.Int(0) : taken + 1;
}

Result<KeyLayout> SqliteStore::CurrentLayout() {
  EARSHOT_ASSIGN_OR_RETURN(layout_.spill, MetaValue(db_.get(), "key_spill"));
  return layout_;
}

std::optional<int64_t> SqliteStore::HolderNear(const TextHolders::Fingerprint& text, int64_t created_at_ms) const {
  std::optional<int64_t> holder = holders_.Find(text);
  if (holder && std::abs(layout_.MsOf(*holder) - created_at_ms) > kMaxHolderDistanceMs) return std::nullopt;
  return holder;
}

Status SqliteStore::SyncTextHolders() {
  StmtResetter reset(data_version_);
  EARSHOT_ASSIGN_OR_RETURN(bool row, data_version_.Step());
  const int64_t version = row ? data_version_.Int(0) : -1;
  if (version != data_version_seen_) {
    holders_.Clear();
    ClearKeyHints();
    EARSHOT_ASSIGN_OR_RETURN(layout_.spill, MetaValue(db_.get(), "key_spill"));
  }
  data_version_seen_ = version;
  return Status::Ok();
}

Status SqliteStore::PromoteCopy(const Existing& e) {
  const TextHolders::Fingerprint text = holders_.Of(e.title, e.text);
  int64_t heir = 0;
  {
    StmtResetter reset(newest_copy_);
    newest_copy_.BindInt(1, e.key);
    EARSHOT_ASSIGN_OR_RETURN(bool row, newest_copy_.Step());
    if (!row) {
      holders_.Forget(text, e.key);
      return Status::Ok();
    }
    heir = newest_copy_.Int(0);
  }
  promote_.BindInt(1, heir);
  promote_.BindText(2, e.text);
  EARSHOT_RETURN_IF_ERROR(promote_.Run());
  repoint_.BindInt(1, e.key);
  repoint_.BindInt(2, heir);
  EARSHOT_RETURN_IF_ERROR(repoint_.Run());
  holders_.Remember(text, heir);
  return Status::Ok();
}

Status SqliteStore::RecordWatches(const Mention& m, int64_t key, const RollupFact& fact) {
  for (const WatchMatch& w : m.watches) {
    std::string terms = JoinLines(w.terms);
    mw_insert_.BindInt(1, w.watch_id);
    mw_insert_.BindInt(2, key);
    mw_insert_.BindTextOrNull(3, terms);
    if (w.sentiment) mw_insert_.BindDouble(4, *w.sentiment);
    EARSHOT_RETURN_IF_ERROR(mw_insert_.Run().WithContext("record watch match of '" + m.id + "'"));
    if (sqlite3_changes(db_.get()) > 0) {
      watch_deltas_[w.watch_id] += 1;
      rollups_.Add(w.watch_id, fact, w.sentiment ? w.sentiment : m.sentiment, +1);
    }
  }
  return Status::Ok();
}

Status SqliteStore::ApplyWatchDeltas() {
  for (const auto& [id, n] : watch_deltas_) {
    if (n == 0) continue;
    watch_count_.BindInt(1, id);
    watch_count_.BindInt(2, n);
    EARSHOT_RETURN_IF_ERROR(watch_count_.Run());
  }
  watch_deltas_.clear();
  return Status::Ok();
}

Status SqliteStore::DeleteRow(Existing e) {
  {
    StmtResetter reset(mw_delete_);
    mw_delete_.BindInt(1, e.key);
    while (true) {
      EARSHOT_ASSIGN_OR_RETURN(bool row, mw_delete_.Step());
      if (!row) break;
      const int64_t watch = mw_delete_.Int(0);
      watch_deltas_[watch] -= 1;
      std::optional<double> sentiment = e.fact.sentiment;
      if (!mw_delete_.IsNull(1)) sentiment = mw_delete_.Double(1);
      rollups_.Add(watch, e.fact, sentiment, -1);
    }
  }
  if (!e.copy) EARSHOT_RETURN_IF_ERROR(PromoteCopy(e));
  delete_.BindInt(1, e.key);
  EARSHOT_RETURN_IF_ERROR(delete_.Run());
  index_.Remove(e.key, std::move(e.title), std::move(e.text));
  return Status::Ok();
}

Result<bool> SqliteStore::IsExpired(const std::string& id) {
  StmtResetter reset(expired_lookup_);
  expired_lookup_.BindInt(1, static_cast<int64_t>(Hash64(id)));
  return expired_lookup_.Step();
}

Result<WriteOutcome> SqliteStore::WriteOne(const Mention& m, Totals& totals, bool* text_copy) {
  if (m.id.empty()) return Status::InvalidArgument("mention without id");
  if (expired_count_ > 0) {
    // An expired mention arriving again (a re-read feed) is not history anew.
    EARSHOT_ASSIGN_OR_RETURN(bool expired, IsExpired(m.id));
    if (expired) return WriteOutcome::kUnchanged;
  }
  uint64_t hash = ContentHash(m, hash_buf_);
  // An exact copy of a recent text refers to the row that holds it.
  const bool shareable = m.text.size() >= kMinSharedText;
  const TextHolders::Fingerprint text = shareable ? holders_.Of(m.title, m.text) : TextHolders::Fingerprint{};
  std::optional<int64_t> holder = shareable ? HolderNear(text, m.created_at_ms) : std::nullopt;
  Result<int64_t> key = InsertRow(m, hash, holder);
  WriteOutcome outcome = WriteOutcome::kInserted;
  if (!key.ok()) {
    if (key.status().code() != StatusCode::kAlreadyExists) return key.status();
    EARSHOT_ASSIGN_OR_RETURN(std::optional<Existing> old, Lookup(m.id));
    if (!old) return Status::Internal("mention '" + m.id + "' conflicts but cannot be found");
    if (old->hash == static_cast<int64_t>(hash)) return WriteOutcome::kUnchanged;
    // Replace the row and its index entry; the key may move with created_at.
    const RollupFact old_fact = old->fact;
    EARSHOT_RETURN_IF_ERROR(DeleteRow(std::move(*old)));
    rollups_.Add(0, old_fact, old_fact.sentiment, -1);
    totals[{"channel", old_fact.channel}] -= 1;
    totals[{"lang", old_fact.lang}] -= 1;
    totals[{"source", m.source}] -= 1;
    // The holder found may have been the old row itself (its copy holds the text now).
    if (shareable) holder = HolderNear(text, m.created_at_ms);
    key = InsertRow(m, hash, holder);
    if (!key.ok()) return key.status();
    outcome = WriteOutcome::kUpdated;
  }
  if (shareable && !holder) holders_.Remember(text, *key);
  *text_copy = holder.has_value();
  index_.Insert(*key, m.title, m.text);
  const RollupFact fact = FactOf(m);
  rollups_.Add(0, fact, m.sentiment, +1);
  EARSHOT_RETURN_IF_ERROR(RecordWatches(m, *key, fact));
  totals[{"channel", std::string(ChannelName(m.channel))}] += 1;
  totals[{"lang", LangKey(m.language)}] += 1;
  totals[{"source", m.source}] += 1;
  return outcome;
}

Status SqliteStore::ApplyTotals(const Totals& totals) {
  for (const auto& [k, n] : totals) {
    if (n == 0) continue;
    totals_.BindText(1, k.first);  // a string literal: outlives the batch
    totals_.BindText(2, k.second);
    totals_.BindInt(3, n);
    EARSHOT_RETURN_IF_ERROR(totals_.Run());
  }
  return Status::Ok();
}

Result<WriteSummary> SqliteStore::WriteBatch(std::span<const Mention> batch) {
  if (options_.read_only) return Status::FailedPrecondition("store opened read-only");
  WriteSummary summary;
  summary.outcomes.reserve(batch.size());
  EARSHOT_RETURN_IF_ERROR(Exec(db_.get(), "BEGIN IMMEDIATE"));
  batch_now_ms_ = NowMs();
  batch_spill_ = 0;
  rollups_.Clear();
  Totals totals;
  Status failed = SyncTextHolders();
  for (const Mention& m : batch) {
    if (!failed.ok()) break;
    bool text_copy = false;
    Result<WriteOutcome> r = WriteOne(m, totals, &text_copy);
    if (!r.ok()) {
      failed = r.status();
      break;
    }
    summary.outcomes.push_back(*r);
    summary.text_copy.push_back(text_copy);
    if (text_copy) ++summary.text_copies;
    switch (*r) {
      case WriteOutcome::kInserted: ++summary.inserted; break;
      case WriteOutcome::kUpdated: ++summary.updated; break;
      case WriteOutcome::kUnchanged: ++summary.unchanged; break;
    }
  }
  if (failed.ok()) failed = index_.Apply(fts_insert_, fts_delete_);
  index_.Clear();
  if (failed.ok()) failed = ApplyTotals(totals);
  if (failed.ok()) failed = ApplyWatchDeltas();
  if (failed.ok()) failed = rollups_.Apply();
  if (failed.ok() && batch_spill_ > layout_.spill) {
    failed = Exec(db_.get(), "UPDATE meta SET value = max(value, " + std::to_string(batch_spill_) +
                                 ") WHERE name = 'key_spill'");
  }
  watch_deltas_.clear();
  rollups_.Clear();
  if (failed.ok()) failed = Exec(db_.get(), "COMMIT");
  if (!failed.ok()) {
    (void)Exec(db_.get(), "ROLLBACK");
    holders_.Clear();  // it may name rows that were rolled back
    ClearKeyHints();
    return failed.WithContext("write batch of " + std::to_string(batch.size()));
  }
  layout_.spill = std::max(layout_.spill, batch_spill_);
  return summary;
}

Result<Mention> SqliteStore::Get(std::string_view id) {
  EARSHOT_ASSIGN_OR_RETURN(auto s_lease,
                           reads_.Get("SELECT " + std::string(kColumns) + " FROM mentions m WHERE m.id = ?1"));
  Stmt& s = *s_lease;
  s.BindText(1, id);
  EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Status::NotFound("no mention with id '" + std::string(id) + "'");
  Mention m = DecodeRow(s);
  EARSHOT_ASSIGN_OR_RETURN(auto w_lease, reads_.Get("SELECT mw.watch_id, mw.terms, mw.sentiment FROM "
                                                    "mention_watches mw JOIN mentions m ON m.key = mw.key "
                                                    "WHERE m.id = ?1 ORDER BY mw.watch_id"));
  Stmt& w = *w_lease;
  w.BindText(1, id);
  while (true) {
    EARSHOT_ASSIGN_OR_RETURN(bool more, w.Step());
    if (!more) break;
    WatchMatch wm;
    wm.watch_id = w.Int(0);
    wm.terms = SplitLines(w.Text(1));
    if (!w.IsNull(2)) wm.sentiment = w.Double(2);
    m.watches.push_back(std::move(wm));
  }
  return m;
}

bool SqliteStore::IndexIsExact(const match::IndexPlan& plan) { return plan.exact && ToFts5(plan.text).lossless; }

Result<Stmt> SqliteStore::CandidateStmt(const match::IndexPlan& plan, const ScanOptions& options,
                                        std::string_view what, bool ordered, bool* none) {
  Fts5Query fts = ToFts5(plan.text);
  *none = fts.none;
  std::string sql = "SELECT ";
  sql += what;
  std::string where;
  auto add = [&](std::string cond) {
    where += where.empty() ? " WHERE " : " AND ";
    where += cond;
  };
  if (!fts.match.empty()) {
    sql += " FROM mentions_fts f JOIN mentions m ON m.key = f.rowid";
    add("mentions_fts MATCH ?1");
  } else {
    sql += " FROM mentions m";
  }
  int param = 2;
  for (const match::FieldFilter& f : plan.filters) {
    std::string col;
    switch (f.field) {
      case match::FieldFilter::Field::kLang: col = "m.lang = ? COLLATE NOCASE"; break;
      case match::FieldFilter::Field::kChannel: col = "m.channel = ?"; break;
      case match::FieldFilter::Field::kCountry: col = "m.country = ? COLLATE NOCASE"; break;
      case match::FieldFilter::Field::kAuthorHandle: col = "m.author_handle = ? COLLATE NOCASE"; break;
      case match::FieldFilter::Field::kSite: col = "m.site = ? COLLATE NOCASE"; break;
    }
    // NULL (no value) passes a negated filter, as the evaluator says.
    if (f.negated) col = "coalesce(NOT (" + col + "), 1)";
    col.insert(col.find('?') + 1, std::to_string(param++));
    add(col);
  }
  // Time bounds become key bounds: the key is time-ordered.
  if (options.from_ms || options.to_ms) {
    EARSHOT_ASSIGN_OR_RETURN(KeyLayout layout, CurrentLayout());
    std::string bounds = layout.Bounds("m.key", "m.created_at", options.from_ms, options.to_ms);
    add(bounds.substr(5));  // without its leading " AND "
  }
  if (!options.watch_ids.empty()) {
    std::string ids;
    for (int64_t id : options.watch_ids) ids += (ids.empty() ? "" : ",") + std::to_string(id);
    add("m.key IN (SELECT key FROM mention_watches WHERE watch_id IN (" + ids + "))");
  }
  sql += where;
  if (ordered) sql += fts.match.empty() ? " ORDER BY m.key DESC" : " ORDER BY f.rowid DESC";
  if (ordered && options.limit >= 0) sql += " LIMIT " + std::to_string(options.limit);
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db_.get(), sql));
  if (!fts.match.empty()) {
    sqlite3_bind_text(s.get(), 1, fts.match.c_str(), static_cast<int>(fts.match.size()), SQLITE_TRANSIENT);
  }
  param = 2;
  for (const match::FieldFilter& f : plan.filters) {
    sqlite3_bind_text(s.get(), param++, f.value.c_str(), static_cast<int>(f.value.size()), SQLITE_TRANSIENT);
  }
  return s;
}

Status SqliteStore::ScanCandidates(const match::IndexPlan& plan, const ScanOptions& options,
                                   const MentionVisitor& visit) {
  bool none = false;
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, CandidateStmt(plan, options, kColumns, /*ordered=*/true, &none));
  if (none) return Status::Ok();
  while (true) {
    Result<bool> row = s.Step();
    if (!row.ok()) return row.status().WithContext("search");
    if (!*row) return Status::Ok();
    if (!visit(DecodeRow(s))) return Status::Ok();
  }
}

Result<int64_t> SqliteStore::CountCandidates(const match::IndexPlan& plan, const ScanOptions& options) {
  Fts5Query fts = ToFts5(plan.text);
  if (fts.none) return int64_t{0};
  if (!fts.match.empty() && plan.filters.empty() && options.watch_ids.empty()) {
    // Word-index only: count doclist entries without visiting the rows (a
    // join costs a B-tree descent per match). Time bounds are rowid bounds;
    // where keys spilled, the rows near a bound are joined to read created_at.
    EARSHOT_ASSIGN_OR_RETURN(KeyLayout layout, CurrentLayout());
    std::string sql = "SELECT 0";
    for (const KeyLayout::Band& band : layout.Bands(options.from_ms, options.to_ms)) {
      sql += band.check_created ? " + (SELECT count(*) FROM mentions_fts f JOIN mentions m ON m.key = f.rowid WHERE "
                                  "mentions_fts MATCH ?1"
                                : " + (SELECT count(*) FROM mentions_fts f WHERE mentions_fts MATCH ?1";
      if (band.lo) sql += " AND f.rowid >= " + std::to_string(*band.lo);
      if (band.hi) sql += " AND f.rowid < " + std::to_string(*band.hi);
      if (band.check_created && options.from_ms) sql += " AND m.created_at >= " + std::to_string(*options.from_ms);
      if (band.check_created && options.to_ms) sql += " AND m.created_at < " + std::to_string(*options.to_ms);
      sql += ")";
    }
    EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db_.get(), sql));
    s.BindText(1, fts.match);
    EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
    return row ? s.Int(0) : 0;
  }
  if (fts.match.empty() && plan.filters.size() == 1 && !options.from_ms && !options.to_ms &&
      options.watch_ids.empty() && expired_count_ == 0) {
    // One facet over all time: the rollups already hold the answer.
    EARSHOT_ASSIGN_OR_RETURN(std::optional<int64_t> n, CountFacet(plan.filters[0]));
    if (n) return *n;
  }
  bool none = false;
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, CandidateStmt(plan, options, "count(*)", /*ordered=*/false, &none));
  if (none) return int64_t{0};
  EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Int(0) : 0;
}

Result<std::optional<int64_t>> SqliteStore::CountFacet(const match::FieldFilter& f) {
  if (f.negated) return std::optional<int64_t>();
  RollupDim dim;
  switch (f.field) {
    case match::FieldFilter::Field::kLang: dim = RollupDim::kLanguage; break;
    case match::FieldFilter::Field::kChannel: dim = RollupDim::kChannel; break;
    case match::FieldFilter::Field::kCountry: dim = RollupDim::kCountry; break;
    default: return std::optional<int64_t>();
  }
  // Rollups file unknown languages under "und", which the column lacks.
  if (f.value.empty() || f.value == "und") return std::optional<int64_t>();
  // Stored values compare case-insensitively, as the SQL filter does.
  EARSHOT_ASSIGN_OR_RETURN(int64_t n, SumRollups(0, RollupGrain::kDay, dim, f.value));
  return std::optional<int64_t>(n);
}

Status SqliteStore::Checkpoint() {
  int rc = sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  return rc == SQLITE_OK || rc == SQLITE_BUSY ? Status::Ok() : SqliteError(db_.get(), rc, "checkpoint");
}

Result<StoreStats> SqliteStore::Stats() {
  StoreStats st;
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db_.get(), "SELECT dim, value, n FROM totals WHERE n != 0"));
  while (true) {
    EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    std::string_view dim = s.Text(0);
    std::string value(s.Text(1));
    if (dim == "channel") {
      st.by_channel[value] = s.Int(2);
      st.mentions += s.Int(2);
    } else if (dim == "lang") {
      st.by_language[value] = s.Int(2);
    } else if (dim == "source") {
      st.by_source[value] = s.Int(2);
    }
  }
  EARSHOT_ASSIGN_OR_RETURN(Stmt r, Stmt::Prepare(db_.get(), "SELECT (SELECT created_at FROM mentions ORDER BY key "
                                                            "LIMIT 1), (SELECT created_at FROM mentions ORDER BY "
                                                            "key DESC LIMIT 1)"));
  EARSHOT_ASSIGN_OR_RETURN(bool row, r.Step());
  if (row && !r.IsNull(0)) {
    st.first_ms = r.Int(0);
    st.last_ms = r.Int(1);
  }
  EARSHOT_ASSIGN_OR_RETURN(Stmt c, Stmt::Prepare(db_.get(), "SELECT count(*) FROM mentions WHERE text_of IS NOT NULL"));
  EARSHOT_ASSIGN_OR_RETURN(bool crow, c.Step());
  if (crow) st.text_copies = c.Int(0);
  return st;
}

Status SqliteStore::BumpWatchSetVersion() {
  return Exec(db_.get(), "UPDATE meta SET value = value + 1 WHERE name = 'watch_set_version'");
}

Result<Watch> SqliteStore::AddWatch(const std::string& name, const std::string& query, const std::string& group) {
  if (name.empty()) return Status::InvalidArgument("a watch needs a name");
  EARSHOT_RETURN_IF_ERROR(Exec(db_.get(), "BEGIN IMMEDIATE"));
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db_.get(), "INSERT INTO watches (name, query, grp, created_at) VALUES "
                                                            "(?1, ?2, ?3, CAST((julianday('now') - 2440587.5) * "
                                                            "86400000 AS INTEGER)) RETURNING id, created_at"));
  s.BindText(1, name);
  s.BindText(2, query);
  s.BindText(3, group);
  Result<bool> row = s.Step();
  Watch w{0, name, query, group, 0, 0};
  if (row.ok() && *row) {
    w.id = s.Int(0);
    w.created_at_ms = s.Int(1);
  }
  s.Reset();
  Status st = row.status();
  if (st.ok()) st = BumpWatchSetVersion();
  if (!st.ok()) {
    (void)Exec(db_.get(), "ROLLBACK");
    if (st.code() == StatusCode::kAlreadyExists) return Status::AlreadyExists("a watch named '" + name + "' exists");
    return st;
  }
  EARSHOT_RETURN_IF_ERROR(Exec(db_.get(), "COMMIT"));
  return w;
}

Result<std::vector<Watch>> SqliteStore::ListWatches() {
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db_.get(), "SELECT id, name, query, grp, created_at, matches FROM "
                                                            "watches ORDER BY id"));
  std::vector<Watch> out;
  while (true) {
    EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back({s.Int(0), std::string(s.Text(1)), std::string(s.Text(2)), std::string(s.Text(3)), s.Int(4),
                   s.Int(5)});
  }
}

Status SqliteStore::RemoveWatch(const std::string& name) {
  EARSHOT_RETURN_IF_ERROR(Exec(db_.get(), "BEGIN IMMEDIATE"));
  auto fail = [&](Status st) {
    (void)Exec(db_.get(), "ROLLBACK");
    return st;
  };
  Result<Stmt> find = Stmt::Prepare(db_.get(), "SELECT id FROM watches WHERE name = ?1");
  if (!find.ok()) return fail(find.status());
  find->BindText(1, name);
  Result<bool> row = find->Step();
  if (!row.ok()) return fail(row.status());
  if (!*row) return fail(Status::NotFound("no watch named '" + name + "'"));
  int64_t id = find->Int(0);
  find->Reset();
  std::string sid = std::to_string(id);
  Status st = Exec(db_.get(), "DELETE FROM mention_watches WHERE watch_id = " + sid +
                                  "; DELETE FROM watches WHERE id = " + sid + ";");
  if (st.ok()) st = DeleteWatchRollups(id);
  if (st.ok()) st = BumpWatchSetVersion();
  if (!st.ok()) return fail(st);
  return Exec(db_.get(), "COMMIT");
}

Result<int64_t> SqliteStore::WatchSetVersion() {
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db_.get(), "SELECT value FROM meta WHERE name = 'watch_set_version'"));
  EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Int(0) : 0;
}

Result<int64_t> SqliteStore::Backfill(int64_t watch_id, const match::IndexPlan& plan,
                                      const std::function<bool(const Mention&, WatchMatch*)>& decide) {
  // Decide on a snapshot first (a read transaction), then write in batches.
  rollups_.Clear();
  std::vector<std::pair<int64_t, WatchMatch>> found;
  bool none = false;
  std::string what = std::string(kColumns) + ", m.key";
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, CandidateStmt(plan, {}, what, /*ordered=*/true, &none));
  while (!none) {
    EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    Mention m = DecodeRow(s);
    WatchMatch wm;
    wm.watch_id = watch_id;
    if (decide(m, &wm)) {
      rollups_.Add(watch_id, FactOf(m), wm.sentiment ? wm.sentiment : m.sentiment, +1);
      found.emplace_back(s.Int(kColumnCount), std::move(wm));
    }
  }
  s.Reset();
  EARSHOT_RETURN_IF_ERROR(Exec(db_.get(), "BEGIN IMMEDIATE"));
  std::string sid = std::to_string(watch_id);
  Status st = Exec(db_.get(), "DELETE FROM mention_watches WHERE watch_id = " + sid);
  if (st.ok()) st = DeleteWatchRollups(watch_id);
  for (const auto& [key, wm] : found) {
    if (!st.ok()) break;
    std::string terms = JoinLines(wm.terms);
    mw_insert_.BindInt(1, watch_id);
    mw_insert_.BindInt(2, key);
    mw_insert_.BindTextOrNull(3, terms);
    if (wm.sentiment) mw_insert_.BindDouble(4, *wm.sentiment);
    st = mw_insert_.Run();
  }
  if (st.ok()) {
    st = Exec(db_.get(), "UPDATE watches SET matches = (SELECT count(*) FROM mention_watches WHERE watch_id = " + sid +
                             ") WHERE id = " + sid);
  }
  if (st.ok()) st = rollups_.Apply();
  rollups_.Clear();
  if (!st.ok()) {
    (void)Exec(db_.get(), "ROLLBACK");
    return st.WithContext("backfill watch " + sid);
  }
  EARSHOT_RETURN_IF_ERROR(Exec(db_.get(), "COMMIT"));
  return static_cast<int64_t>(found.size());
}

// Adds the figures of a rollup row (n, pos, neg, neu, reach, engagement,
// from column `first` on) to `c`.
void AddFigures(const Stmt& s, int first, RollupCell& c) {
  c.count += s.Int(first);
  c.positive += s.Int(first + 1);
  c.negative += s.Int(first + 2);
  c.neutral += s.Int(first + 3);
  c.reach += s.Int(first + 4);
  c.engagement += s.Int(first + 5);
}

Status SqliteStore::ScanRollups(const RollupScan& scan, const std::function<void(const RollupCell&)>& visit) {
  EARSHOT_ASSIGN_OR_RETURN(auto s_lease, reads_.Get("SELECT value, n, pos, neg, neu, reach, engagement FROM "
                                                    "rollups WHERE grain = ?1 AND dim = ?4 AND t = ?2 AND "
                                                    "watch_id = ?3 ORDER BY value"));
  Stmt& s = *s_lease;
  // A watch's channel, language and country figures are sums of its facet rows.
  const bool derived = scan.watch_id != 0 && !WatchesKeep(scan.dim, scan.grain);
  std::map<std::string, RollupCell, std::less<>> sums;
  RollupCell cell;
  return ForEachStoredBucket(reads_, scan.grain, scan.from_ms, scan.to_ms, [&](int64_t t) -> Status {
    StmtResetter reset(s);  // also clears the bindings
    s.BindInt(1, static_cast<int64_t>(scan.grain));
    s.BindInt(2, t);
    s.BindInt(3, scan.watch_id);
    s.BindInt(4, static_cast<int64_t>(derived ? RollupDim::kFacets : scan.dim));
    if (derived) {
      sums.clear();
      while (true) {
        EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        std::string_view part = FacetPart(s.Text(0), scan.dim);
        auto it = sums.find(part);
        if (it == sums.end()) {
          it = sums.emplace(std::string(part), RollupCell{}).first;
          it->second.t_ms = t;
          it->second.value = std::string(part);
        }
        AddFigures(s, 1, it->second);
      }
      for (const auto& [value, c] : sums) {
        if (c.count != 0) visit(c);
      }
      return Status::Ok();
    }
    while (true) {
      EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) return Status::Ok();
      cell = RollupCell{};
      cell.t_ms = t;
      cell.value.assign(s.Text(0));
      AddFigures(s, 1, cell);
      if (cell.count != 0) visit(cell);
    }
  });
}

Status SqliteStore::ScanRollupsOfAllWatches(RollupGrain grain, RollupDim dim, int64_t from_ms, int64_t to_ms,
                                            const std::function<void(int64_t, const RollupCell&)>& visit) {
  if (!WatchesKeep(dim, grain)) {
    return Status::InvalidArgument("hourly rollups of every watch are read by total, site or facets, not by one facet");
  }
  EARSHOT_ASSIGN_OR_RETURN(auto s_lease, reads_.Get("SELECT watch_id, t, value, n, pos, neg, neu, reach, "
                                                    "engagement FROM rollups WHERE grain = ?1 AND dim = ?2 "
                                                    "AND t >= ?3 AND t < ?4"));
  Stmt& s = *s_lease;
  s.BindInt(1, static_cast<int64_t>(grain));
  s.BindInt(2, static_cast<int64_t>(dim));
  s.BindInt(3, from_ms);
  s.BindInt(4, to_ms);
  RollupCell cell;
  while (true) {
    EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return Status::Ok();
    cell = RollupCell{};
    cell.t_ms = s.Int(1);
    cell.value.assign(s.Text(2));
    AddFigures(s, 3, cell);
    if (cell.count != 0) visit(s.Int(0), cell);
  }
}

Status SqliteStore::DeleteWatchRollups(int64_t watch_id) {
  EARSHOT_ASSIGN_OR_RETURN(Stmt del, Stmt::Prepare(db_.get(), "DELETE FROM rollups WHERE grain = ?1 AND dim = ?2 AND "
                                                              "t = ?3 AND watch_id = ?4"));
  for (RollupGrain grain : {RollupGrain::kHour, RollupGrain::kDay}) {
    for (RollupDim dim : kAllRollupDims) {
      EARSHOT_RETURN_IF_ERROR(ForEachStoredBucket(reads_, grain, INT64_MIN, INT64_MAX, [&](int64_t t) {
        del.BindInt(1, static_cast<int64_t>(grain));  // Run() clears the bindings
        del.BindInt(2, static_cast<int64_t>(dim));
        del.BindInt(3, t);
        del.BindInt(4, watch_id);
        return del.Run();
      }));
    }
  }
  return Status::Ok();
}

Result<int64_t> SqliteStore::SumRollups(int64_t watch_id, RollupGrain grain, RollupDim dim,
                                        std::optional<std::string_view> value_nocase) {
  std::string sql = "SELECT coalesce(sum(n), 0) FROM rollups WHERE grain = ?1 AND dim = ?4 AND t = ?2 AND watch_id = ?3";
  if (value_nocase) sql += " AND value = ?5 COLLATE NOCASE";
  EARSHOT_ASSIGN_OR_RETURN(auto s_lease, reads_.Get(sql));
  Stmt& s = *s_lease;
  int64_t total = 0;
  EARSHOT_RETURN_IF_ERROR(ForEachStoredBucket(reads_, grain, INT64_MIN, INT64_MAX, [&](int64_t t) -> Status {
    StmtResetter reset(s);  // also clears the bindings
    s.BindInt(1, static_cast<int64_t>(grain));
    s.BindInt(2, t);
    s.BindInt(3, watch_id);
    s.BindInt(4, static_cast<int64_t>(dim));
    if (value_nocase) s.BindText(5, *value_nocase);
    EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
    if (row) total += s.Int(0);
    return Status::Ok();
  }));
  return total;
}

// Returns " FROM ... WHERE ..." over the mentions watch `watch_id` matched
// (0: every mention; ?1 binds the watch id) in options' time range, and sets
// *key to the time-ordered key column to sort by.
std::string WatchScope(int64_t watch_id, const ScanOptions& options, const KeyLayout& layout, const char** key) {
  std::string sql = watch_id == 0 ? " FROM mentions m WHERE 1"
                                  : " FROM mention_watches mw JOIN mentions m ON m.key = mw.key WHERE mw.watch_id = ?1";
  *key = watch_id == 0 ? "m.key" : "mw.key";
  return sql + layout.Bounds(*key, "m.created_at", options.from_ms, options.to_ms);
}

Status SqliteStore::ScanWatchMentions(int64_t watch_id, const ScanOptions& options, const MentionVisitor& visit) {
  const char* key = nullptr;
  EARSHOT_ASSIGN_OR_RETURN(KeyLayout layout, CurrentLayout());
  std::string sql = "SELECT " + std::string(kColumns) + (watch_id == 0 ? "" : ", mw.terms, mw.sentiment") +
                    WatchScope(watch_id, options, layout, &key);
  sql += std::string(" ORDER BY ") + key;
  if (options.limit >= 0) sql += " LIMIT " + std::to_string(options.limit);
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db_.get(), sql));
  if (watch_id != 0) s.BindInt(1, watch_id);
  while (true) {
    EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return Status::Ok();
    Mention m = DecodeRow(s);
    if (watch_id != 0) {
      WatchMatch wm;
      wm.watch_id = watch_id;
      wm.terms = SplitLines(s.Text(kColumnCount));
      if (!s.IsNull(kColumnCount + 1)) wm.sentiment = s.Double(kColumnCount + 1);
      m.watches.push_back(std::move(wm));
    }
    if (!visit(m)) return Status::Ok();
  }
}

Result<std::vector<AuthorActivity>> SqliteStore::TopAuthors(int64_t watch_id, const ScanOptions& options,
                                                             int limit) {
  std::string sql =
      "SELECT m.author_handle, count(*), max(coalesce(m.author_followers, 0)), sum(coalesce(m.likes, 0) + "
      "coalesce(m.reshares, 0) + coalesce(m.replies, 0) + coalesce(m.quotes, 0))";
  const char* key = nullptr;
  EARSHOT_ASSIGN_OR_RETURN(KeyLayout layout, CurrentLayout());
  sql += WatchScope(watch_id, options, layout, &key);
  sql += " AND m.author_handle IS NOT NULL GROUP BY m.author_handle ORDER BY 2 DESC, 1 LIMIT " +
         std::to_string(std::max(limit, 0));
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db_.get(), sql));
  if (watch_id != 0) s.BindInt(1, watch_id);
  std::vector<AuthorActivity> out;
  while (true) {
    EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back({std::string(s.Text(0)), s.Int(1), s.Int(2), s.Int(3)});
  }
}

Status SqliteStore::ExpireKeys(const std::vector<int64_t>& keys) {
  EARSHOT_ASSIGN_OR_RETURN(Stmt row, Stmt::Prepare(db_.get(), "SELECT m.id, m.title, " EARSHOT_RESOLVED_TEXT
                                                              ", m.channel, m.lang, m.source, m.text_of IS NOT NULL "
                                                              "FROM mentions m WHERE m.key = ?1"));
  EARSHOT_ASSIGN_OR_RETURN(Stmt tomb, Stmt::Prepare(db_.get(), "INSERT OR IGNORE INTO expired (id_hash) VALUES (?1)"));
  Totals totals;
  for (int64_t key : keys) {
    Existing e;
    std::string id, source;
    {
      StmtResetter reset(row);
      row.BindInt(1, key);
      EARSHOT_ASSIGN_OR_RETURN(bool found, row.Step());
      if (!found) continue;
      id = row.Text(0);
      e.key = key;
      e.title = row.Text(1);
      e.text = row.Text(2);
      e.copy = row.Int(6) != 0;
      totals[{"channel", std::string(row.Text(3))}] -= 1;
      totals[{"lang", row.IsNull(4) ? std::string("und") : std::string(row.Text(4))}] -= 1;
      totals[{"source", std::string(row.Text(5))}] -= 1;
    }
    // DeleteRow also queues rollup removals; expiry keeps rollups, so drop them.
    EARSHOT_RETURN_IF_ERROR(DeleteRow(std::move(e)));
    tomb.BindInt(1, static_cast<int64_t>(Hash64(id)));
    EARSHOT_RETURN_IF_ERROR(tomb.Run());
  }
  rollups_.Clear();
  EARSHOT_RETURN_IF_ERROR(index_.Apply(fts_insert_, fts_delete_));
  EARSHOT_RETURN_IF_ERROR(ApplyTotals(totals));
  EARSHOT_RETURN_IF_ERROR(ApplyWatchDeltas());
  return Exec(db_.get(), "UPDATE meta SET value = value + " + std::to_string(keys.size()) +
                             " WHERE name = 'expired_mentions'");
}

Result<int64_t> SqliteStore::Expire(const ExpireOptions& options) {
  if (options_.read_only) return Status::FailedPrecondition("store opened read-only");
  // Oldest first in batches, each its own transaction, so a long expiry
  // never holds the write lock for long and a crash keeps what was done.
  constexpr int kBatch = 5000;
  std::string sql = "SELECT key FROM mentions WHERE key < ?1";
  if (!options.source.empty()) sql += " AND source = ?2";
  sql += " ORDER BY key LIMIT " + std::to_string(kBatch);
  EARSHOT_ASSIGN_OR_RETURN(Stmt pick, Stmt::Prepare(db_.get(), sql));
  int64_t removed = 0;
  while (true) {
    std::vector<int64_t> keys;
    {
      StmtResetter reset(pick);
      // A spilled row keyed past `before` waits for a later expiry.
      pick.BindInt(1, layout_.Floor(options.before_ms));
      if (!options.source.empty()) pick.BindText(2, options.source);
      while (true) {
        EARSHOT_ASSIGN_OR_RETURN(bool row, pick.Step());
        if (!row) break;
        keys.push_back(pick.Int(0));
      }
    }
    if (keys.empty()) return removed;
    EARSHOT_RETURN_IF_ERROR(Exec(db_.get(), "BEGIN IMMEDIATE"));
    Status st = ExpireKeys(keys);
    if (st.ok()) st = Exec(db_.get(), "COMMIT");
    if (!st.ok()) {
      (void)Exec(db_.get(), "ROLLBACK");
      watch_deltas_.clear();
      rollups_.Clear();
      holders_.Clear();
      index_.Clear();
      return st.WithContext("expire mentions");
    }
    removed += static_cast<int64_t>(keys.size());
    expired_count_ += static_cast<int64_t>(keys.size());
  }
}

Status SqliteStore::SetRetention(const std::string& source, int days) {
  if (source.empty()) return Status::InvalidArgument("a retention policy needs a source");
  if (days < 0) return Status::InvalidArgument("retention days must not be negative");
  if (days == 0) {
    EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db_.get(), "DELETE FROM retention WHERE source = ?1"));
    s.BindText(1, source);
    return s.Run();
  }
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db_.get(), "INSERT INTO retention (source, days) VALUES (?1, ?2) "
                                                            "ON CONFLICT (source) DO UPDATE SET days = excluded.days"));
  s.BindText(1, source);
  s.BindInt(2, days);
  return s.Run();
}

Result<std::vector<RetentionPolicy>> SqliteStore::ListRetention() {
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db_.get(), "SELECT source, days FROM retention ORDER BY source"));
  std::vector<RetentionPolicy> out;
  while (true) {
    EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back({std::string(s.Text(0)), static_cast<int>(s.Int(1))});
  }
}

Status SqliteStore::CheckConsistency() {
  {
    EARSHOT_ASSIGN_OR_RETURN(Stmt q, Stmt::Prepare(db_.get(), "PRAGMA quick_check"));
    EARSHOT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row || q.Text(0) != "ok") {
      return Status::Corruption("database quick_check: " + std::string(row ? q.Text(0) : "no answer"));
    }
  }
  // FTS5 compares its index against the content table, entry by entry.
  Status st = Exec(db_.get(), "INSERT INTO mentions_fts (mentions_fts, rank) VALUES ('integrity-check', 1)");
  if (!st.ok()) return Status::Corruption("word index disagrees with the mention rows: " + st.message());
  {
    EARSHOT_ASSIGN_OR_RETURN(Stmt q, Stmt::Prepare(db_.get(), "SELECT count(*) FROM mentions m WHERE m.text_of IS NOT "
                                                              "NULL AND NOT EXISTS (SELECT 1 FROM mentions h WHERE "
                                                              "h.key = m.text_of AND h.text_of IS NULL)"));
    EARSHOT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (row && q.Int(0) != 0) {
      return Status::Corruption(std::to_string(q.Int(0)) + " mentions refer to a text no stored mention holds");
    }
  }
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db_.get(), "SELECT (SELECT count(*) FROM mentions), "
                                                            "(SELECT coalesce(sum(n), 0) FROM totals WHERE dim = "
                                                            "'channel')"));
  EARSHOT_ASSIGN_OR_RETURN(bool row, s.Step());
  if (row && s.Int(0) != s.Int(1)) {
    return Status::Corruption("totals count " + std::to_string(s.Int(1)) + " mentions but the table holds " +
                              std::to_string(s.Int(0)));
  }
  // Rollups count every mention ever stored: those kept and those expired.
  EARSHOT_ASSIGN_OR_RETURN(Stmt r, Stmt::Prepare(db_.get(), "SELECT (SELECT count(*) FROM mentions) + (SELECT value "
                                                            "FROM meta WHERE name = 'expired_mentions')"));
  EARSHOT_ASSIGN_OR_RETURN(bool rrow, r.Step());
  const int64_t expected = rrow ? r.Int(0) : 0;
  EARSHOT_ASSIGN_OR_RETURN(int64_t days, SumRollups(0, RollupGrain::kDay, RollupDim::kTotal, std::nullopt));
  EARSHOT_ASSIGN_OR_RETURN(int64_t hours, SumRollups(0, RollupGrain::kHour, RollupDim::kTotal, std::nullopt));
  if (expected != days || expected != hours) {
    return Status::Corruption("rollups count " + std::to_string(days) + " (days) and " + std::to_string(hours) +
                              " (hours) mentions, expected " + std::to_string(expected));
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const StoreOptions& options) { return SqliteStore::Open(options); }

}  // namespace earshot::store::sqlite
