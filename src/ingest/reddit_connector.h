// The Reddit connector: listing JSON as the Reddit API serves it.
//
// Accepted shapes, each alone in a file or one per line (JSON lines):
//   - a Listing, {"kind":"Listing","data":{"children":[{"kind":"t3"|"t1",
//     "data":{...}}, ...]}} (subreddit /new, /comments, search);
//   - an array of Listings, the /comments/<id> shape: the submission, then
//     the comment tree, whose replies nest in each comment's `data.replies`
//     ("" or a Listing) and are walked depth-first, parent before replies;
//   - a single thing, {"kind":"t1"|"t3","data":{...}}.
// Things of other kinds ("more", "t5", ...) are skipped with the reason.
//
// Each post (t3) and comment (t1) becomes a Mention:
//   id            "reddit:<fullname>" (t3_48f6io, t1_d4y8bdp)
//   url           https://www.reddit.com + `permalink`; for comments without
//                 one, built from `subreddit`, `link_id` and `id`
//   site          "reddit.com"; channel forum (ctx.channel overrides)
//   author        `author` ("[deleted]" -> empty),
//                 profile https://www.reddit.com/user/<author>
//   title, text   `title` (t3); `selftext` (t3) or `body` (t1), HTML
//                 entities decoded (listings fetched without raw_json=1
//                 escape "&", "<", ">")
//   links         a link post's `url`, then the URLs in the text (markdown
//                 links and bare URLs)
//   created_at    `created_utc` (seconds, float)
//   in_reply_to   "reddit:" + `parent_id` for comments
//   engagement    likes = `score`; replies = `num_comments` (t3)
// Comments whose body is "[deleted]" or "[removed]" are skipped; a thing
// without a fullname or `created_utc`, or with a field of the wrong type, is
// rejected naming the field.
#pragma once

#include <memory>

#include "ingest/connector.h"

namespace earshot::ingest {

// Returns a new Reddit connector (Name() "reddit", Framing::kDocument).
// Parse() returns InvalidArgument when the input is not JSON, or is a single
// JSON value that is no Listing, array of Listings or thing; in JSON lines,
// such a line is rejected instead and the others kept. A connector instance
// reuses one JSON parser and is not thread-safe; use one per thread.
std::unique_ptr<Connector> NewRedditConnector();

}  // namespace earshot::ingest
