// Loads every embedded app once per test binary, on the running kernel.
#pragma once

#include <netext/loader/object.hpp>

#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <string>
#include <unistd.h>

#include "require_root.hpp"

namespace netext::testing {

class KernelApps {
public:
	static loader::BpfObject &get(const std::string &app)
	{
		static std::map<std::string, std::unique_ptr<loader::BpfObject>> objects;
		auto it = objects.find(app);
		if (it == objects.end()) {
			auto obj = std::make_unique<loader::BpfObject>(
				loader::BpfObject::open_embedded(app));
			obj->load();
			it = objects.emplace(app, std::move(obj)).first;
		}
		return *it->second;
	}
};

} // namespace netext::testing
