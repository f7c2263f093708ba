// The netext CLI's own commands: one file each (attach.cpp: attach and detach), each
// declaring its options in a table (netext/loader/command.hpp); main.cpp dispatches.
#pragma once

#include <netext/loader/attach.hpp>
#include <netext/loader/command.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace netext::cli {

using loader::Command;
using loader::CommandLine;

Command attach_command();
Command detach_command();
Command status_command();
Command stats_command();
Command map_command();
Command build_command();
Command apps_command();

// Every command: the CLI's own, with the embedded apps' commands after 'map'.
const std::vector<Command> &commands();

[[noreturn]] void usage_error(const std::string &msg);

// Shared by the commands' output.
std::string hook_list(const loader::Attachment &a);
std::string time_text(int64_t t);
nlohmann::json attachment_json(const loader::Attachment &a);
// The attachment of app on ifname, or throws (not found) naming which is missing.
loader::Attachment find_attachment(const std::string &ifname, const std::string &app);

} // namespace netext::cli
