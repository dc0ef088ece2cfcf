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

}  // namespace earshot::ingest
