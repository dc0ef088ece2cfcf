// The CSV connector: spreadsheet and tool exports with a header row (the
// Sanders tweet corpus, social-listening exports, CRM dumps), one Mention per
// data row.
//
// Columns map to Mention fields by header name, case-insensitively:
//   id          id, tweetid, tweet_id, post_id, guid
//   text        text, tweettext, body, content, message, full_text  (required)
//   created_at  created_at, date, tweetdate, timestamp, published, time
//   author      author, user, username, screen_name, handle, by
//   url         url, link, permalink
//   title       title, subject
//   language    lang, language
//   channel     channel
//   site        site
//   followers   followers, followers_count
//   location    location, user_location
// ParseContext::csv_mapping pairs (field, column) override these, e.g.
// {"text", "Message Body"}. Dates go through ParseAnyDate (RFC 3339, RFC 822,
// "Tue Oct 18 21:53:25 +0000 2011", epoch seconds); a missing date column or
// an empty date cell leaves created_at_ms 0.
//
// Mention ids: external_id is "<ctx.source_name or csv>:<id cell>", or, when
// there is no id, the hex Hash64 of the row's text, date and author cells so
// that ingesting the same file twice writes the same ids. The channel comes
// from the channel column, else ctx.channel, else kOther. Hashtags, handles
// and links are extracted from the text. Text is kept as written (HTML
// entities included).
//
// A row without text and title, with an unparseable date, channel or
// follower count, with a different number of fields than the header, or
// malformed as CSV is rejected with its line, column and value; the rows
// around it are kept.
#pragma once

#include <memory>

#include "ingest/connector.h"

namespace earshot::ingest {

// Returns a new CSV connector (Name() "csv", Framing::kDocument). Parse()
// returns InvalidArgument when the input has no header row, when no column
// holds the text (listing the columns found and the accepted names), or when
// csv_mapping names an unknown field or a column the header lacks. A
// connector instance is not thread-safe; use one per thread.
std::unique_ptr<Connector> NewCsvConnector();

}  // namespace earshot::ingest
