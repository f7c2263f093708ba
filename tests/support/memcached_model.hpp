// A model of how memcached 1.6.18 reads a text request, for the tests and the fuzz target
// to hold the memcached parser to: a cache that reads the stream differently from memcached
// misses what memcached runs. Built on the same libc calls memcached's util.c uses.
#pragma once

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace netext::testing {

// How memcached 1.6.18 reads a request, as far as framing goes: the line ends at the first
// '\n' (a '\r' before it dropped), a NUL ends its text, tokens are split at spaces, and a
// storage command is taken (its data block read after the line) only with 5 or 6 tokens
// (cas: 6 or 7) whose numbers util.c's safe_strtoul/safe_strtol/safe_strtoull read (the
// same libc calls), <bytes> then 0..INT_MAX-2 as an int. Otherwise memcached answers an
// error and reads what follows the line as commands. (proto_text.c: try_read_command_ascii,
// tokenize_command, process_command_ascii, process_update_command.)
struct McReading {
	bool line = false;	  // a whole line is there
	std::size_t line_end = 0; // where it ends (the '\r', or the '\n' when alone)
	std::vector<std::string> tokens;
	bool stores = false; // a storage command memcached takes
	long data_len = -1;  // then the data block's size
};

inline bool safe_strtoul(const std::string &t)
{
	errno = 0;
	char *end = nullptr;
	unsigned long l = std::strtoul(t.c_str(), &end, 10);
	if (errno == ERANGE || end == t.c_str())
		return false;
	if (std::isspace(static_cast<unsigned char>(*end)) || *end == '\0')
		return !(static_cast<long>(l) < 0 && t.find('-') != std::string::npos);
	return false;
}
inline bool safe_strtol(const std::string &t, int32_t &out)
{
	errno = 0;
	char *end = nullptr;
	long l = std::strtol(t.c_str(), &end, 10);
	if (errno == ERANGE || end == t.c_str())
		return false;
	out = static_cast<int32_t>(l);
	return std::isspace(static_cast<unsigned char>(*end)) || *end == '\0';
}
inline bool safe_strtoull(const std::string &t)
{
	errno = 0;
	char *end = nullptr;
	unsigned long long l = std::strtoull(t.c_str(), &end, 10);
	if (errno == ERANGE || end == t.c_str())
		return false;
	if (std::isspace(static_cast<unsigned char>(*end)) || *end == '\0')
		return !(static_cast<long long>(l) < 0 && t.find('-') != std::string::npos);
	return false;
}

inline McReading memcached_reads(const char *data, std::size_t size)
{
	std::string text(data, size);
	McReading r;
	std::size_t nl = text.find('\n');
	if (nl == std::string::npos)
		return r;
	r.line = true;
	r.line_end = nl > 1 && text[nl - 1] == '\r' ? nl - 1 : nl;
	std::string line = text.substr(0, r.line_end);
	line.resize(std::strlen(line.c_str()));
	std::size_t i = 0;
	while (i < line.size()) {
		if (line[i] == ' ') {
			i++;
			continue;
		}
		std::size_t e = line.find(' ', i);
		if (e == std::string::npos)
			e = line.size();
		r.tokens.push_back(line.substr(i, e - i));
		i = e;
	}
	std::size_t ntokens = r.tokens.size() + 1; // memcached counts a terminal token
	if (r.tokens.empty())
		return r;
	const std::string &c = r.tokens[0];
	bool cas = c == "cas";
	if (c != "set" && c != "add" && c != "replace" && c != "append" && c != "prepend" && !cas)
		return r;
	if (cas ? ntokens != 7 && ntokens != 8 : ntokens != 6 && ntokens != 7)
		return r;
	int32_t exptime = 0, vlen = 0;
	if (r.tokens[1].size() > 250 || !safe_strtoul(r.tokens[2]) ||
	    !safe_strtol(r.tokens[3], exptime) || !safe_strtol(r.tokens[4], vlen))
		return r;
	if (cas && !safe_strtoull(r.tokens[5]))
		return r;
	if (vlen < 0 || vlen > INT_MAX - 2)
		return r;
	r.stores = true;
	r.data_len = vlen;
	return r;
}

} // namespace netext::testing
