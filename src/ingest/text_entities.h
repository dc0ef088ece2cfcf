// Entities written inline in post text: #hashtags, @handles and URLs.
// Connectors whose source does not mark them up (CSV exports, Reddit
// markdown) find them here, so every connector extracts them the same way.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace earshot::ingest {

// Returns the hashtags of `text` without the '#', as written, in order of
// first appearance and without duplicates. A hashtag is '#' followed by word
// characters (letters, digits, marks, '_'), not preceded by a word character,
// '&' (so "&#39;" is no tag) or another '#', and not all digits ("#1" is no
// tag). "#D-76" yields "D". Thread-safe.
std::vector<std::string> ExtractHashtags(std::string_view text);

// Returns the @handles of `text` without the '@', in order of first
// appearance and without duplicates. A handle is '@' followed by ASCII
// letters, digits and '_', not preceded by a word character (so e-mail
// addresses are no handles); a fediverse handle keeps its server
// ("@jdoe@mastodon.social" yields "jdoe@mastodon.social"). Thread-safe.
std::vector<std::string> ExtractHandles(std::string_view text);

// Returns the http(s) URLs of `text`, in order of first appearance and
// without duplicates. A URL starts at "http://" or "https://" (any case) not
// preceded by a letter or digit and ends before whitespace, a control
// character, '<', '>', '"', '`', non-ASCII punctuation ("…", "“") or a
// closing bracket it did not open, and loses trailing sentence punctuation.
// So "(see https://x.org/a)." and the markdown "[t](https://x.org/a)" both
// yield "https://x.org/a", while "https://en.wikipedia.org/wiki/C_(lang)"
// stays whole. Thread-safe.
std::vector<std::string> ExtractUrls(std::string_view text);

}  // namespace earshot::ingest
