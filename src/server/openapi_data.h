// The OpenAPI document (docs/API/openapi.json), compiled in and served at
// /api/v1/openapi.json.
#pragma once

#include <string_view>

namespace earshot::server {

std::string_view OpenApiDocument();

}  // namespace earshot::server
