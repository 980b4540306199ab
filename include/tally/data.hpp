// The files of data/ that libtally compiles in (CMakeLists.txt), so that an
// installed binary needs no data folder: the legal interest rates and the
// letter templates (data/templates/*.mustache). The services grid has its own
// accessor (builtin_services_grid, services.hpp).
#pragma once

#include <optional>
#include <string_view>

namespace tally {

// The content of data/NAME ("legal-interest-rates.csv",
// "templates/late-notice.fr.mustache"), nullopt for a file not compiled in.
std::optional<std::string_view> builtin_data(std::string_view name);

}  // namespace tally
