// The Mastodon connector, format name "mastodon".
//
// Input is one document: a JSON array of statuses (a timeline response), a
// single status, a context response {ancestors, descendants}, a search
// response {statuses}, or JSON lines holding one status (or array) per
// line — used when the whole input is not one JSON value; each invalid line
// is then a reject naming it. Both the 4.x schema (string ids) and the old
// 1.x one (integer ids, null flags, no card) are read.
//
// Ids. A status's external_id is its ActivityPub "uri" (the same on every
// instance; falls back to "url", then "id"), so its mention id is
// "mastodon:<uri>". A reblog is a mention of its own (the reblogger's
// status) whose reshare_of is "mastodon:<uri of the reblogged status>" and
// whose text, tags, links and language are the reblogged status's. A quote
// (4.5 "quote.quoted_status") sets quote_of the same way. The API gives a
// reply only the parent's local "in_reply_to_id" on the serving instance, so
// in_reply_to is, deterministically:
//  - "mastodon:<parent uri>" when the parent status is in the same JSON
//    value (the same timeline array, context response or line);
//  - otherwise "mastodon:<origin>/api/v1/statuses/<in_reply_to_id>", the
//    parent's API address on the serving instance, whose origin
//    ("https://mstdn.io") is taken from the first local account (acct
//    without '@') in the same JSON value, and is empty when there is none.
// The second form still marks the post as a reply but joins no mention id.
//
// Mapping: url = "url" (else "uri"); site = its host; author handle =
// account.acct, with "@<instance>" (host[:port] of account.url) appended for
// local accounts so handles are globally unique ("paperswelove@mstdn.io");
// mentioned handles get the same treatment; text = the content HTML as
// plain text, after the spoiler text (content warning) and a newline when
// there is one; hashtags = tags[].name; links = the links of the content
// except mention, hashtag and profile links, plus the preview card's url;
// favourites/reblogs/replies/quotes counts -> likes/reshares/replies/quotes.
// A status without any id or without "content" is rejected, as is one with
// an unreadable created_at; a missing created_at leaves created_at_ms 0.
#pragma once

#include <memory>

#include "ingest/connector.h"

namespace earshot::ingest {

// Returns a new Mastodon connector. Each connector reuses one JSON parser,
// so it is not thread-safe; use one per thread.
std::unique_ptr<Connector> NewMastodonConnector();

}  // namespace earshot::ingest
