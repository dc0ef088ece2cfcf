// The JSON form of a mention in the API and on the live stream
// (docs/API/README.md), written straight into a string: the stream sends
// thousands a second, and a DOM per mention cost more than the rest of
// publishing.
#pragma once

#include <string>
#include <vector>

#include "core/mention.h"
#include "store/store.h"

namespace earshot::server {

// Appends `m` as a JSON object; `watches` names the watches it matched.
void AppendMentionJson(const Mention& m, const std::vector<store::Watch>& watches, std::string& out);

// Appends `s` as a JSON string (quoted, escaped; invalid UTF-8 replaced).
void AppendJsonString(std::string_view s, std::string& out);

}  // namespace earshot::server
