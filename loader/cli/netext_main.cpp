// Only used by netext_add_cli() (NetextExtension.cmake), which compiles it into each CLI it
// makes (the `netext` program too): the CLI core with the apps linked beside it.
#include <netext/cli.hpp>

int main(int argc, char **argv)
{
	return netext::cli::main(argc, argv);
}
