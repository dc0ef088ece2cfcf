// The normalize stage: the last touch every Mention gets after its
// connector and before dedupe and storage, whatever the source.
#pragma once

#include "core/mention.h"

namespace earshot::ingest {

// Normalizes `m` in place: repairs double-encoded UTF-8 in title, text and
// display name ("weâ€™re" → "we’re"), lower-cases the language tag and cuts it
// to its primary subtag, fills `site` from `url` when missing, and upper-cases
// the country code. Idempotent.
void NormalizeMention(Mention& m);

// Makes every string field of `m` valid UTF-8 without C0 control characters
// other than tab, LF and CR (see SanitizeUtf8), ids, handles and links
// included, and drops list entries that become empty or repeated. A no-op
// scan for clean input. Connectors call it on each mention they build: JSON
// "\u0001" escapes and XML "&#1;" references decode to such characters.
void CleanMentionStrings(Mention& m);

}  // namespace earshot::ingest
