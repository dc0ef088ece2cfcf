#include "ingest/csv_connector.h"

#include <array>
#include <cinttypes>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/hash.h"
#include "core/strings.h"
#include "core/time.h"
#include "core/utf8.h"
#include "ingest/csv_reader.h"
#include "ingest/text_entities.h"

namespace earshot::ingest {
namespace {

enum Field : size_t {
  kId,
  kText,
  kCreatedAt,
  kAuthor,
  kUrl,
  kTitle,
  kLanguage,
  kChannel,
  kSite,
  kFollowers,
  kLocation,
  kFieldCount,
};

constexpr std::string_view kIdNames[] = {"id", "tweetid", "tweet_id", "post_id", "guid"};
constexpr std::string_view kTextNames[] = {"text", "tweettext", "body", "content", "message", "full_text"};
constexpr std::string_view kDateNames[] = {"created_at", "date", "tweetdate", "timestamp", "published", "time"};
constexpr std::string_view kAuthorNames[] = {"author", "user", "username", "screen_name", "handle", "by"};
constexpr std::string_view kUrlNames[] = {"url", "link", "permalink"};
constexpr std::string_view kTitleNames[] = {"title", "subject"};
constexpr std::string_view kLanguageNames[] = {"lang", "language"};
constexpr std::string_view kChannelNames[] = {"channel"};
constexpr std::string_view kSiteNames[] = {"site"};
constexpr std::string_view kFollowersNames[] = {"followers", "followers_count"};
constexpr std::string_view kLocationNames[] = {"location", "user_location"};

struct FieldSpec {
  std::string_view name;  // the key csv_mapping uses
  std::span<const std::string_view> aliases;
};

// Indexed by Field.
constexpr FieldSpec kFields[kFieldCount] = {
    {"id", kIdNames},           {"text", kTextNames},         {"created_at", kDateNames},
    {"author", kAuthorNames},   {"url", kUrlNames},           {"title", kTitleNames},
    {"language", kLanguageNames}, {"channel", kChannelNames}, {"site", kSiteNames},
    {"followers", kFollowersNames}, {"location", kLocationNames},
};

constexpr int kNoColumn = -1;

// Which column holds each field, from the header row.
struct ColumnMap {
  std::vector<std::string> header;
  std::array<int, kFieldCount> column;
};

std::string Join(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

std::string JoinHeader(const std::vector<std::string>& header) {
  std::string out;
  for (const std::string& h : header) {
    if (!out.empty()) out += ", ";
    out += '"' + h + '"';
  }
  return out;
}

// Returns the first column named `name` (case-insensitive), or kNoColumn.
int FindColumn(const std::vector<std::string>& header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (EqualsIgnoreAsciiCase(header[i], name)) return static_cast<int>(i);
  }
  return kNoColumn;
}

// Returns the column of the first alias the header has, or kNoColumn.
int FindAlias(const std::vector<std::string>& header, std::span<const std::string_view> aliases) {
  for (std::string_view alias : aliases) {
    if (int c = FindColumn(header, alias); c != kNoColumn) return c;
  }
  return kNoColumn;
}

std::optional<Field> FieldNamed(std::string_view name) {
  for (size_t f = 0; f < kFieldCount; ++f) {
    if (EqualsIgnoreAsciiCase(kFields[f].name, TrimAscii(name))) return static_cast<Field>(f);
  }
  return std::nullopt;
}

std::string FieldNameList() {
  std::string out;
  for (const FieldSpec& f : kFields) {
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

// Applies the csv_mapping overrides on top of the default aliases.
Status ApplyMapping(const ParseContext& ctx, ColumnMap& map) {
  for (const auto& [field_name, column_name] : ctx.csv_mapping) {
    std::optional<Field> field = FieldNamed(field_name);
    if (!field) {
      return Status::InvalidArgument("csv mapping: unknown field \"" + field_name + "\" (fields: " + FieldNameList() +
                                     ")");
    }
    int column = FindColumn(map.header, TrimAscii(column_name));
    if (column == kNoColumn) {
      return Status::InvalidArgument("csv mapping " + field_name + "=" + column_name + ": the header has no column \"" +
                                     column_name + "\" (columns found: " + JoinHeader(map.header) + ")");
    }
    map.column[*field] = column;
  }
  return Status::Ok();
}

Result<ColumnMap> MapColumns(const std::vector<std::string>& fields, const ParseContext& ctx) {
  ColumnMap map;
  for (const std::string& f : fields) map.header.emplace_back(TrimAscii(f));
  for (size_t f = 0; f < kFieldCount; ++f) map.column[f] = FindAlias(map.header, kFields[f].aliases);
  EARSHOT_RETURN_IF_ERROR(ApplyMapping(ctx, map));
  if (map.column[kText] == kNoColumn) {
    return Status::InvalidArgument("line 1: no text column; columns found: " + JoinHeader(map.header) +
                                   "; accepted names: " + Join(kTextNames) + " (or map one with text=<column>)");
  }
  return map;
}

// One data row viewed through the column map.
class RowView {
 public:
  RowView(const CsvRow& row, const ColumnMap& map) : row_(row), map_(map) {}

  bool Has(Field f) const { return map_.column[f] != kNoColumn; }
  // Returns the cell of `f`, or "" when the header has no such column.
  std::string_view Cell(Field f) const { return Has(f) ? std::string_view(row_.fields[map_.column[f]]) : ""; }
  // Returns "line N, column "Name"" for messages about `f`.
  std::string Where(Field f) const {
    return "line " + std::to_string(row_.line) + ", column \"" + map_.header[map_.column[f]] + "\"";
  }
  int64_t line() const { return row_.line; }

 private:
  const CsvRow& row_;
  const ColumnMap& map_;
};

std::string HexHash(std::string_view text, std::string_view date, std::string_view author) {
  std::string key;
  key.reserve(text.size() + date.size() + author.size() + 2);
  // Unit separators keep ("ab", "c") and ("a", "bc") apart.
  key.append(text).push_back('\x1f');
  key.append(date).push_back('\x1f');
  key.append(author);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, Hash64(key));
  return buf;
}

void SetIds(const RowView& row, const ParseContext& ctx, Mention& m) {
  std::string_view id = TrimAscii(row.Cell(kId));
  std::string_view prefix = ctx.source_name.empty() ? std::string_view("csv") : std::string_view(ctx.source_name);
  m.source = "csv";
  m.external_id = std::string(prefix) + ":" +
                  (id.empty() ? HexHash(row.Cell(kText), TrimAscii(row.Cell(kCreatedAt)), TrimAscii(row.Cell(kAuthor)))
                              : SanitizeUtf8(id));
  m.id = MakeMentionId(m.source, m.external_id);
}

Status SetDate(const RowView& row, Mention& m) {
  std::string_view date = TrimAscii(row.Cell(kCreatedAt));
  if (date.empty()) return Status::Ok();
  Result<int64_t> ms = ParseAnyDate(date);
  if (!ms.ok()) {
    return Status::InvalidArgument(row.Where(kCreatedAt) + ": cannot parse date \"" + SanitizeUtf8(date) + "\"");
  }
  m.created_at_ms = *ms;
  return Status::Ok();
}

Status SetChannel(const RowView& row, const ParseContext& ctx, Mention& m) {
  m.channel = ctx.channel.value_or(Channel::kOther);
  std::string_view name = TrimAscii(row.Cell(kChannel));
  if (name.empty()) return Status::Ok();
  std::optional<Channel> channel = ParseChannel(name);
  if (!channel) {
    std::string known;
    for (Channel c : kAllChannels) known += (known.empty() ? "" : ", ") + std::string(ChannelName(c));
    return Status::InvalidArgument(row.Where(kChannel) + ": unknown channel \"" + SanitizeUtf8(name) +
                                   "\" (channels: " + known + ")");
  }
  m.channel = *channel;
  return Status::Ok();
}

Status SetAuthor(const RowView& row, Mention& m) {
  std::string_view handle = TrimAscii(row.Cell(kAuthor));
  if (handle.starts_with('@')) handle.remove_prefix(1);
  m.author.handle = SanitizeUtf8(handle);
  m.author.profile_location = SanitizeUtf8(TrimAscii(row.Cell(kLocation)));
  std::string_view followers = TrimAscii(row.Cell(kFollowers));
  if (followers.empty()) return Status::Ok();
  std::optional<int64_t> n = ParseInt64(followers);
  if (!n || *n < 0) {
    return Status::InvalidArgument(row.Where(kFollowers) + ": not a follower count: \"" + SanitizeUtf8(followers) +
                                   "\"");
  }
  m.author.followers = *n;
  return Status::Ok();
}

// Returns the primary subtag of a language tag, lower case ("en-US" -> "en").
std::string PrimaryLanguage(std::string_view tag) {
  tag = TrimAscii(tag);
  return AsciiLower(tag.substr(0, tag.find_first_of("-_")));
}

Status SetContent(const RowView& row, Mention& m) {
  m.text = SanitizeUtf8(row.Cell(kText));
  m.title = SanitizeUtf8(TrimAscii(row.Cell(kTitle)));
  if (TrimAscii(m.text).empty() && m.title.empty()) {
    return Status::InvalidArgument(row.Where(kText) + ": empty text" + (row.Has(kTitle) ? " and title" : ""));
  }
  m.url = SanitizeUtf8(TrimAscii(row.Cell(kUrl)));
  std::string_view site = TrimAscii(row.Cell(kSite));
  m.site = site.empty() ? SiteOfUrl(m.url) : SiteOfUrl("https://" + std::string(site));
  if (m.site.empty()) m.site = AsciiLower(SanitizeUtf8(site));
  m.language = SanitizeUtf8(PrimaryLanguage(row.Cell(kLanguage)));
  m.hashtags = ExtractHashtags(m.text);
  m.mentioned = ExtractHandles(m.text);
  m.links = ExtractUrls(m.text);
  return Status::Ok();
}

Result<Mention> RowToMention(const RowView& row, const ParseContext& ctx) {
  Mention m;
  EARSHOT_RETURN_IF_ERROR(SetContent(row, m));
  EARSHOT_RETURN_IF_ERROR(SetDate(row, m));
  EARSHOT_RETURN_IF_ERROR(SetChannel(row, ctx, m));
  EARSHOT_RETURN_IF_ERROR(SetAuthor(row, m));
  SetIds(row, ctx, m);
  return m;
}

// Returns why a well-formed CSV row cannot be a record, or OK.
Status CheckShape(const CsvRow& row, const ColumnMap& map, const ParseContext& ctx) {
  if (row.raw.size() > ctx.max_record_bytes) {
    return Status::InvalidArgument("line " + std::to_string(row.line) + ": row of " + std::to_string(row.raw.size()) +
                                   " bytes exceeds the limit of " + std::to_string(ctx.max_record_bytes));
  }
  if (row.fields.size() != map.header.size()) {
    return Status::InvalidArgument("line " + std::to_string(row.line) + ": " + std::to_string(row.fields.size()) +
                                   " fields, the header has " + std::to_string(map.header.size()));
  }
  return Status::Ok();
}

class CsvConnector final : public Connector {
 public:
  std::string_view Name() const override { return "csv"; }
  Framing framing() const override { return Framing::kDocument; }

  Status Parse(std::string_view input, const ParseContext& ctx, RecordSink& sink) override {
    std::string file = ctx.file.empty() ? std::string("csv input") : std::string(ctx.file);
    CsvReader reader(input);
    if (!reader.Next(row_)) return Status::InvalidArgument(file + ": empty CSV: no header row");
    if (!row_.status.ok()) return row_.status.WithContext(file + ": header");
    Result<ColumnMap> map = MapColumns(row_.fields, ctx);
    if (!map.ok()) return map.status().WithContext(file);
    int64_t index = ctx.first_index;
    while (reader.Next(row_)) {
      const RecordRef ref{.line = row_.line, .index = index++};
      Status shape = row_.status.ok() ? CheckShape(row_, *map, ctx) : row_.status;
      if (!shape.ok()) {
        sink.OnReject(ref, shape.message(), row_.raw);
        continue;
      }
      Result<Mention> mention = RowToMention(RowView(row_, *map), ctx);
      if (mention.ok()) {
        sink.OnMention(std::move(mention).value(), ref);
      } else {
        sink.OnReject(ref, mention.status().message(), row_.raw);
      }
    }
    return Status::Ok();
  }

 private:
  CsvRow row_;  // reused between rows and files
};

}  // namespace

std::unique_ptr<Connector> NewCsvConnector() { return std::make_unique<CsvConnector>(); }

}  // namespace earshot::ingest
