# ctest cli.app_command[_out_of_tree]: an app declares a CLI command in its descriptor, and
# a CLI made by netext_add_cli() offers it, parses its options from its table, and prints
# its errors like netext's own. With CLI=path: that CLI (built inside netext's build).
# Otherwise (BUILD_DIR, SOURCE_DIR, WORK_DIR, CXX, C): installs the build tree into a scratch
# prefix, builds tests/cli/app_command (the example app, its descriptor with the `pktcount`
# command, the CLI) against it as an out-of-tree project, and runs that CLI.
if(NOT CLI)
	include(${CMAKE_CURRENT_LIST_DIR}/../install/install_and_build.cmake)
	netext_install_and_build(${SOURCE_DIR}/tests/cli/app_command "the app's project"
		-DPKTCOUNT_DIR=${SOURCE_DIR}/examples/pktcount)
	set(CLI ${WORK_DIR}/build/pktcount-netext)
endif()

# run(NAME EXIT_CODE OUT_REGEX ERR_REGEX ARGS...): runs the CLI, checks the exit status and
# that stdout and stderr match.
function(run name want out_re err_re)
	execute_process(COMMAND ${CLI} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
		ERROR_VARIABLE err)
	if(NOT rc EQUAL want OR NOT out MATCHES "${out_re}" OR NOT err MATCHES "${err_re}")
		message(FATAL_ERROR "${name}: 'pktcount-netext ${ARGN}' exited ${rc} (want ${want})\n"
			"stdout (want /${out_re}/):\n${out}\nstderr (want /${err_re}/):\n${err}")
	endif()
	message(STATUS "${name}: ok")
endfunction()

run("the command is listed with netext's own" 0 "\n  attach .*\n  pktcount +the classes pktcount counts\n"
	"^$" --help)
run("its help comes from its table" 0 "Usage: netext pktcount classes \\[--index\\].*--index" "^$"
	pktcount --help)
run("it runs" 0 "^icmp\ntcp\nudp\nother\n$" "^$" pktcount classes)
run("its options are parsed from its table" 0 "^0 icmp\n1 tcp\n2 udp\n3 other\n$" "^$"
	pktcount classes --index)
run("a bad option is a usage error" 2 "^$" "^netext: [^\n]*--bogus" pktcount classes --bogus)
run("its own errors get the CLI's prefix once" 2 "^$"
	"^netext: pktcount has no subcommand 'nope' \\(see 'pktcount --help'\\)\n$" pktcount nope)
run("the app is embedded" 0 "pktcount" "^$" apps)
run("netext's own commands still work" 2 "^$" "^netext: " attach)
if(WORK_DIR)
	file(REMOVE_RECURSE ${WORK_DIR})
endif()
