// The Hacker News connector: items as the official API serves them
// (https://hacker-news.firebaseio.com/v0/item/<id>.json), one per line, as a
// JSON array of items, or as one (possibly pretty-printed) item.
//
// Each story, comment, job, poll and poll option becomes a Mention:
//   id            "hn:<id>"; external_id the item id
//   url           the story's `url`, else https://news.ycombinator.com/item?id=<id>
//   site          the host of that url ("news.ycombinator.com" for discussions)
//   channel       forum (ctx.channel overrides)
//   author        `by`, profile https://news.ycombinator.com/user?id=<by>;
//                 empty when the item has none (some jobs)
//   title, text   `title`; `text` converted from HTML to plain text
//   links         the links of `text`, then the story `url`
//   created_at    `time` (Unix seconds)
//   in_reply_to   "hn:<parent>" for comments, "hn:<poll>" for poll options
//   engagement    likes = `score`; replies = `descendants`, else the number
//                 of `kids` (the API omits an empty `kids`)
// Deleted and dead items, and items with neither title nor text, are
// skipped with the reason. An item that is not an object, lacks `id` or
// `time`, or has a field of the wrong type is rejected, naming the field.
#pragma once

#include <memory>

#include "ingest/connector.h"

namespace earshot::ingest {

// Returns a new Hacker News connector (Name() "hn", Framing::kLines).
// Parse() returns InvalidArgument only for a multi-line input in which no
// JSON value can be found; a bad line is rejected and its neighbours kept.
// A connector instance reuses one JSON parser and is not thread-safe; use
// one per thread.
std::unique_ptr<Connector> NewHnConnector();

}  // namespace earshot::ingest
