// The web UI's files, embedded into the binary at build time
// (cmake/EarshotWebAssets.cmake), or read from a directory (`serve
// --web-dir`) while developing the UI.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace earshot::server {

struct WebAsset {
  std::string_view path;          // "/index.html", "/assets/app.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view etag;          // quoted
  std::string_view bytes;
};

// The files built into this binary (empty when it was built without node).
const std::vector<WebAsset>& EmbeddedWebAssets();

// Looks assets up by request path, from the embedded set or a directory.
class WebAssets {
 public:
  // `dir` empty: the embedded set.
  static Result<std::unique_ptr<WebAssets>> Open(const std::string& dir);
  // Returns the asset at `path` ("/" is "/index.html"), or nullptr.
  const WebAsset* Find(std::string_view path) const;
  bool empty() const { return assets_.empty(); }

 private:
  std::vector<WebAsset> assets_;
  std::vector<std::unique_ptr<std::string>> owned_;  // file contents and names for a directory
};

}  // namespace earshot::server
