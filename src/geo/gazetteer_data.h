// The gazetteer compiled into the binary (data/geo/gazetteer.tsv), so that
// geo resolution needs no data file at run time. The definition is
// generated at build time by cmake/EarshotEmbed.cmake.
#pragma once

#include <string_view>

namespace earshot::geo {

// Returns the bytes of data/geo/gazetteer.tsv (static storage).
std::string_view EmbeddedGazetteer();

}  // namespace earshot::geo
