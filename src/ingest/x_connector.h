// The X (Twitter API v2) connector, format name "x".
//
// Input is JSON lines, one API response body per line, as twarc2 and the
// filtered stream write them (an extra "__twarc" key is ignored). Each line
// may be:
//  - a search / lookup response: "data" is an array of tweets, with
//    "includes.{users,tweets,places}", "meta" and maybe "errors" (partial
//    errors about suspended users; they do not reject the tweets);
//  - a filtered-stream message: "data" is one tweet, with "includes" and
//    "matching_rules";
//  - a bare tweet object ("id" + "text");
//  - a message without posts, reported as a skip: a stream "errors" line
//    (operational-disconnect), a compliance event ({"id","action":"delete"}),
//    a tweet-counts or users response, an empty page.
// A line that is not valid JSON (a stream cut mid-message) is one reject
// naming the line. Parse() also accepts a whole multi-line document holding
// one response (pretty-printed), or several lines at once.
//
// Mapping: external_id = tweet id (kept as text, never through a double);
// url = https://twitter.com/<username>/status/<id> (username from
// includes.users by author_id; https://twitter.com/i/web/status/<id> when
// the author is not included); text = the tweet's text (a long post's
// note_tweet text when present) with HTML entities decoded; a retweet's
// truncated "RT @user: ..." text is rebuilt from the full text of the
// retweeted tweet in includes.tweets; lang "und" and the q*/zxx/art
// pseudo-codes become ""; geo from the Point coordinates [lon, lat] and the
// place in includes.places; referenced_tweets become in_reply_to,
// reshare_of and quote_of ("x:<id>"); links are the expanded entity URLs
// except those pointing back at the tweet (attached photos and videos, the
// "…" link of a truncated long post); public_metrics map to engagement
// (impression_count to views when present). A tweet missing "id" or "text", or with an
// unreadable created_at, is rejected; the other tweets of its response are
// still reported. A missing created_at leaves created_at_ms 0.
#pragma once

#include <memory>

#include "ingest/connector.h"

namespace earshot::ingest {

// Returns a new X API v2 connector. Each connector reuses one JSON parser,
// so it is not thread-safe; use one per thread.
std::unique_ptr<Connector> NewXConnector();

}  // namespace earshot::ingest
