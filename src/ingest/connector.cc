#include "ingest/connector.h"

#include "core/strings.h"
#include "core/utf8.h"
#include "ingest/bluesky_connector.h"
#include "ingest/csv_connector.h"
#include "ingest/feed_connector.h"
#include "ingest/hn_connector.h"
#include "ingest/mastodon_connector.h"
#include "ingest/reddit_connector.h"
#include "ingest/x_connector.h"

namespace earshot::ingest {
namespace {

// Returns the string value that follows the first occurrence of the JSON
// key `key` in `head` ("" when absent or not a string). A textual scan: the
// head may be cut anywhere, so it cannot be parsed as JSON.
// Returns `key` in double quotes. (Built by appending: GCC 12 warns falsely
// about "literal" + string.)
std::string Quoted(std::string_view key) {
  std::string quoted;
  quoted.reserve(key.size() + 2);
  quoted.push_back('"');
  quoted.append(key);
  quoted.push_back('"');
  return quoted;
}

std::string_view ValueAfterKey(std::string_view head, std::string_view key) {
  std::string quoted = Quoted(key);
  size_t pos = 0;
  while ((pos = head.find(quoted, pos)) != std::string_view::npos) {
    if (pos > 0 && head[pos - 1] == '\\') {
      pos += quoted.size();
      continue;
    }
    size_t i = pos + quoted.size();
    while (i < head.size() && IsAsciiSpace(head[i])) ++i;
    if (i >= head.size() || head[i] != ':') {
      pos += quoted.size();
      continue;
    }
    ++i;
    while (i < head.size() && IsAsciiSpace(head[i])) ++i;
    if (i >= head.size() || head[i] != '"') return "";
    size_t end = head.find('"', i + 1);
    return end == std::string_view::npos ? head.substr(i + 1) : head.substr(i + 1, end - i - 1);
  }
  return "";
}

bool HasKey(std::string_view head, std::string_view key) {
  std::string quoted = Quoted(key);
  size_t pos = 0;
  while ((pos = head.find(quoted, pos)) != std::string_view::npos) {
    size_t i = pos + quoted.size();
    while (i < head.size() && IsAsciiSpace(head[i])) ++i;
    if ((pos == 0 || head[pos - 1] != '\\') && i < head.size() && head[i] == ':') return true;
    pos += quoted.size();
  }
  return false;
}

// Returns the first 40 bytes of `s` for a message: cut between characters,
// controls shown as spaces, ill-formed UTF-8 replaced (messages end up in
// JSON and terminals).
std::string Preview(std::string_view s) {
  std::string out(TruncateUtf8(s, 40));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return SanitizeUtf8(out);
}

Result<std::string> DetectJson(std::string_view head) {
  std::string_view kind = ValueAfterKey(head, "kind");
  if (kind == "Listing" || kind == "t1" || kind == "t3") return std::string("reddit");
  if (ValueAfterKey(head, "uri").starts_with("at://") || ValueAfterKey(head, "$type").starts_with("app.bsky.") ||
      ValueAfterKey(head, "$type").starts_with("com.atproto.") || ValueAfterKey(head, "did").starts_with("did:")) {
    return std::string("bluesky");
  }
  if (HasKey(head, "__twarc") || HasKey(head, "author_id") || HasKey(head, "edit_history_tweet_ids") ||
      HasKey(head, "matching_rules") || HasKey(head, "tweet_count") ||
      (HasKey(head, "data") && HasKey(head, "includes"))) {
    return std::string("x");
  }
  if (HasKey(head, "account") && (HasKey(head, "uri") || HasKey(head, "content"))) return std::string("mastodon");
  std::string_view type = ValueAfterKey(head, "type");
  if ((type == "story" || type == "comment" || type == "job" || type == "poll" || type == "pollopt") &&
      HasKey(head, "time")) {
    return std::string("hn");
  }
  if (ValueAfterKey(head, "action") == "delete" || HasKey(head, "errors")) return std::string("x");
  return Status::InvalidArgument("JSON content of no known format (starts with '" + Preview(head) +
                                 "'); name it with --format");
}

}  // namespace

std::vector<std::string_view> FormatNames() { return {"x", "feed", "mastodon", "bluesky", "hn", "reddit", "csv"}; }

Result<std::unique_ptr<Connector>> MakeConnector(std::string_view format) {
  if (format == "x") return NewXConnector();
  if (format == "feed" || format == "rss" || format == "atom") return NewFeedConnector();
  if (format == "mastodon") return NewMastodonConnector();
  if (format == "bluesky") return NewBlueskyConnector();
  if (format == "hn") return NewHnConnector();
  if (format == "reddit") return NewRedditConnector();
  if (format == "csv") return NewCsvConnector();
  std::string known;
  for (std::string_view n : FormatNames()) {
    if (!known.empty()) known += ", ";
    known += n;
  }
  return Status::InvalidArgument("unknown format '" + std::string(format) + "' (known: auto, " + known + ")");
}

Result<std::string> DetectFormat(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  std::string_view s = TrimAscii(head);
  if (s.empty()) return Status::InvalidArgument("empty input");
  if (s.front() == '<') {
    // Look past the XML declaration, comments and stylesheets for the root.
    for (std::string_view root : {"<rss", "<rdf:RDF", "<RDF", "<feed"}) {
      if (s.find(root) != std::string_view::npos) return std::string("feed");
    }
    return Status::InvalidArgument("XML or HTML that is not an RSS or Atom feed (starts with '" + Preview(s) + "')");
  }
  if (s.front() == '{' || s.front() == '[') return DetectJson(s);
  std::string_view first_line = s.substr(0, s.find('\n'));
  if (first_line.find(',') != std::string_view::npos) return std::string("csv");
  return Status::InvalidArgument("content of no known format (starts with '" + Preview(s) +
                                 "'); name it with --format");
}

}  // namespace earshot::ingest
