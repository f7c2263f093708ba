# ctest labels by tier: netext_label_tests(), called at the end of a CMakeLists.txt that adds
# tests, labels each test of that directory with its name's first part (unit, kernel, cli,
# guest, bench, style, install, fuzz, compile_fail, checker, toolchain, lb, bmc, ...), so
# `ctest -L unit` runs one tier. Tests found by gtest_discover_tests get theirs from its
# PROPERTIES (LABELS <tier>).
function(netext_label_tests)
	get_directory_property(tests TESTS)
	foreach(test IN LISTS tests)
		string(REGEX MATCH "^[^.]+" tier "${test}")
		set_tests_properties(${test} PROPERTIES LABELS ${tier})
	endforeach()
endfunction()
