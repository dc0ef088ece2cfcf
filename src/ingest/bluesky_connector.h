// The Bluesky (AT Protocol) connector, format name "bluesky".
//
// Input is JSON lines; Parse() also accepts a whole multi-line JSON
// document. Each value may be:
//  - a com.atproto.repo.getRecord response {uri, cid, value} (or a
//    listRecords response {records: [...]}) holding an app.bsky.feed.post;
//  - a post view {uri, author, record, likeCount, ..., indexedAt}, alone or
//    in an AppView response: getPostThread ({thread}: the parent chain,
//    root first, then the post, then its replies depth-first),
//    getPosts / searchPosts ({posts: [...]}) and feeds ({feed: [{post}]});
//  - a Jetstream event {did, time_us, kind, commit{operation, collection,
//    rkey, record}}: a created or updated app.bsky.feed.post is a post.
// Everything else is a skip naming its $type or kind: likes, follows, feed
// generators, Jetstream deletes and identity/account events, thread items
// that are not found or blocked, profile lists such as getFollows. A line
// that is not JSON, or a post without a text or a valid AT-URI, is a reject.
//
// Mapping: external_id = the AT-URI at://<did>/app.bsky.feed.post/<rkey>
// (a handle in the authority is replaced by the author's did when known);
// url = https://bsky.app/profile/<handle or did>/post/<rkey>; site
// "bsky.app"; author handle = the handle when known, else the did;
// language = the primary subtag of the first of "langs"; created_at =
// record.createdAt (no zone = UTC), else indexedAt, else time_us;
// reply.parent.uri -> in_reply_to "bluesky:<uri>"; an embedded post
// (app.bsky.embed.record / recordWithMedia) -> quote_of; link facets and
// external embeds -> links; tag facets -> hashtags; mention facets -> the
// mentioned dids; likeCount / repostCount / replyCount / quoteCount ->
// engagement. A quoted post inside an embed view is not reported itself.
#pragma once

#include <memory>

#include "ingest/connector.h"

namespace earshot::ingest {

// Returns a new Bluesky connector. Each connector reuses one JSON parser,
// so it is not thread-safe; use one per thread.
std::unique_ptr<Connector> NewBlueskyConnector();

}  // namespace earshot::ingest
