#include <netext/loader/app.hpp>

namespace netext::loader {

namespace {
std::vector<AppDescriptor> &registry()
{
	static std::vector<AppDescriptor> apps;
	return apps;
}
} // namespace

const char *to_string(HookPoint h)
{
	switch (h) {
	case HookPoint::Xdp: return "xdp";
	case HookPoint::TcIngress: return "tc-ingress";
	case HookPoint::TcEgress: return "tc-egress";
	}
	return "?";
}

AppRegistration::AppRegistration(AppDescriptor d)
{
	registry().push_back(std::move(d));
}

const std::vector<AppDescriptor> &builtin_apps()
{
	return registry();
}

const AppDescriptor *find_builtin_app(std::string_view name)
{
	for (const AppDescriptor &d : registry())
		if (d.name == name)
			return &d;
	return nullptr;
}

} // namespace netext::loader
