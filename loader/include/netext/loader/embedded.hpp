// eBPF objects embedded into the binary at build time (see netext_add_extension).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace netext::loader {

struct EmbeddedObject {
	const char *app;
	std::span<const uint8_t> bytes;
};

// Made by the generated NAME_embed.cpp at static-initialisation time.
struct EmbeddedRegistration {
	EmbeddedRegistration(const char *app, const unsigned char *begin, const unsigned char *end);
};

const std::vector<EmbeddedObject> &embedded_objects();
// nullptr if no app of that name is embedded.
const EmbeddedObject *find_embedded(std::string_view app);

} // namespace netext::loader
