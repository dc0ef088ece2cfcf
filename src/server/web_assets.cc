#include "server/web_assets.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/hash.h"

namespace earshot::server {
namespace {

std::string_view ContentType(const std::filesystem::path& p) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".ico", "image/x-icon"}, {".txt", "text/plain; charset=utf-8"}, {".woff2", "font/woff2"}};
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& [e, t] : kTypes) {
    if (ext == e) return t;
  }
  return "application/octet-stream";
}

}  // namespace

Result<std::unique_ptr<WebAssets>> WebAssets::Open(const std::string& dir) {
  auto out = std::make_unique<WebAssets>();
  if (dir.empty()) {
    out->assets_ = EmbeddedWebAssets();
    return out;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return Status::NotFound("web directory '" + dir + "' not found");
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string rel(1, '/');
    rel.append(std::filesystem::relative(it->path(), dir).generic_string());
    if (rel.find("/.") != std::string::npos) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    auto bytes = std::make_unique<std::string>(ss.str());
    auto name = std::make_unique<std::string>(rel);
    auto etag = std::make_unique<std::string>(1, '"');
    etag->append(std::to_string(Hash64(*bytes))).push_back('"');
    out->assets_.push_back({*name, ContentType(it->path()), *etag, *bytes});
    out->owned_.push_back(std::move(bytes));
    out->owned_.push_back(std::move(name));
    out->owned_.push_back(std::move(etag));
  }
  if (ec) return Status::IOError("cannot read web directory '" + dir + "': " + ec.message());
  return out;
}

const WebAsset* WebAssets::Find(std::string_view path) const {
  if (path == "/") path = "/index.html";
  for (const WebAsset& a : assets_) {
    if (a.path == path) return &a;
  }
  return nullptr;
}

}  // namespace earshot::server
