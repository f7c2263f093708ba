// The netext CLI as a library (CMake target netext::cli): netext's own commands (attach,
// detach, status, stats, map, build, apps, help) and the commands of every app linked into
// the program, which its descriptor declares (AppDescriptor::commands, loader/command.hpp).
// The `netext` program is this library with the built-in apps; netext_add_cli(NAME APPS
// app...) (NetextExtension.cmake) makes such a program with other apps, e.g. an app of a
// user's own with a command of its own.
#pragma once

namespace netext::cli {

// Runs the command line; returns the exit status (0, or netext::ExitCode's). Errors print
// to stderr as "netext: <message>".
int main(int argc, char **argv);

} // namespace netext::cli
