#include <netext/loader/embedded.hpp>

namespace netext::loader {

namespace {
std::vector<EmbeddedObject> &registry()
{
	static std::vector<EmbeddedObject> objects;
	return objects;
}
} // namespace

EmbeddedRegistration::EmbeddedRegistration(const char *app, const unsigned char *begin,
					   const unsigned char *end)
{
	registry().push_back({app, {begin, static_cast<std::size_t>(end - begin)}});
}

const std::vector<EmbeddedObject> &embedded_objects()
{
	return registry();
}

const EmbeddedObject *find_embedded(std::string_view app)
{
	for (const EmbeddedObject &o : registry())
		if (app == o.app)
			return &o;
	return nullptr;
}

} // namespace netext::loader
