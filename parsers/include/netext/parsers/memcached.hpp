// The memcached text protocol: the request line's command and keys, and the 8-byte UDP
// frame header. Keys are located (offset, length) in the packet, not copied.
#pragma once

#include <cstdint>

#include <netext/array.hpp>
#include <netext/packet.hpp>
#include <netext/parsers/headers.hpp>

namespace netext::memcached {

inline constexpr uint32_t kMaxKeyLen = 250; // memcached's KEY_MAX_LENGTH
inline constexpr uint32_t kMaxGetKeys = 32; // keys in one get/gets
// Longest request line scanned for its "\r\n": 32 keys of 250 bytes and their spaces.
inline constexpr uint32_t kMaxLineLen = 5 + kMaxGetKeys * (kMaxKeyLen + 1) + 2;

enum class Command : uint8_t {
	Unknown,
	Get,
	Gets,
	Set,
	Add,
	Replace,
	Append,
	Prepend,
	Cas,
	Delete,
	Incr,
	Decr,
	Touch,
	FlushAll,
};

// Commands that may change what a later get returns for the key (or for every key).
constexpr bool modifies(Command c) noexcept
{
	return c != Command::Unknown && c != Command::Get && c != Command::Gets;
}

struct Key {
	uint16_t off; // in the packet view
	uint16_t len;
};

struct Request {
	Command cmd = Command::Unknown;
	uint8_t nkeys = 0;
	uint32_t line_end = 0; // offset of the "\r\n" ending the request line
	array<Key, kMaxGetKeys> keys{};
};

enum class Status : uint8_t {
	Ok,
	NotMemcached, // not a command this parser knows (pass it on)
	Malformed,    // no "\r\n", empty or oversized key, bad character, too many keys
};

namespace detail {

// A key byte: printable, not space (memcached rejects control characters in keys).
NETEXT_INLINE bool key_byte(int b) noexcept
{
	return b > 0x20 && b < 0x7f;
}

template <uint32_t N>
NETEXT_INLINE bool word_is(const PacketView &v, uint32_t off, uint32_t end,
			   const char (&w)[N]) noexcept
{
	constexpr uint32_t len = N - 1;
	if (off + len > end || !v.equals(off, w))
		return false;
	int after = v.byte(off + len); // the word must end at a space or the line end
	return off + len == end || after == ' ';
}

NETEXT_INLINE Command command_at(const PacketView &v, uint32_t off, uint32_t end,
				 uint32_t &len) noexcept
{
#define NETEXT_MC_WORD(lit, c)                                                                     \
	if (word_is(v, off, end, lit)) {                                                           \
		len = sizeof(lit) - 1;                                                             \
		return c;                                                                          \
	}
	NETEXT_MC_WORD("get", Command::Get)
	NETEXT_MC_WORD("gets", Command::Gets)
	NETEXT_MC_WORD("set", Command::Set)
	NETEXT_MC_WORD("add", Command::Add)
	NETEXT_MC_WORD("replace", Command::Replace)
	NETEXT_MC_WORD("append", Command::Append)
	NETEXT_MC_WORD("prepend", Command::Prepend)
	NETEXT_MC_WORD("cas", Command::Cas)
	NETEXT_MC_WORD("delete", Command::Delete)
	NETEXT_MC_WORD("incr", Command::Incr)
	NETEXT_MC_WORD("decr", Command::Decr)
	NETEXT_MC_WORD("touch", Command::Touch)
	NETEXT_MC_WORD("flush_all", Command::FlushAll)
#undef NETEXT_MC_WORD
	len = 0;
	return Command::Unknown;
}

} // namespace detail

// Parses the request line starting at off. For get/gets every key is recorded (up to
// kMaxGetKeys); for the other key commands the first token after the command is the key;
// flush_all has none.
template <uint32_t MaxLine = kMaxLineLen>
NETEXT_INLINE Status parse_request(const PacketView &v, uint32_t off, Request &out) noexcept
{
	int32_t crlf = v.find_crlf<MaxLine>(off);
	out.nkeys = 0;
	uint32_t cmd_len = 0;
	uint32_t end = crlf < 0 ? v.size() : static_cast<uint32_t>(crlf);
	out.cmd = detail::command_at(v, off, end, cmd_len);
	if (out.cmd == Command::Unknown)
		return Status::NotMemcached;
	if (crlf < 0)
		return Status::Malformed;
	out.line_end = end;
	if (out.cmd == Command::FlushAll)
		return Status::Ok;
	bool multi = out.cmd == Command::Get || out.cmd == Command::Gets;
	uint32_t key_start = 0, key_len = 0;
	bool in_key = false;
	// One pass over the arguments: spaces separate tokens, runs of spaces are one gap.
	for (uint32_t i = off + cmd_len; i <= end && i < off + MaxLine; i++) {
		int b = i < end ? v.byte(i) : ' ';
		if (b < 0)
			return Status::Malformed;
		if (b == ' ') {
			if (!in_key)
				continue;
			in_key = false;
			if (out.nkeys >= kMaxGetKeys)
				return Status::Malformed;
			out.keys.set(out.nkeys, Key{static_cast<uint16_t>(key_start),
						    static_cast<uint16_t>(key_len)});
			out.nkeys++;
			if (!multi)
				return Status::Ok; // the rest are arguments, not keys
			continue;
		}
		if (!detail::key_byte(b))
			return Status::Malformed;
		if (!in_key) {
			in_key = true;
			key_start = i;
			key_len = 0;
		}
		if (++key_len > kMaxKeyLen)
			return Status::Malformed;
	}
	return out.nkeys > 0 ? Status::Ok : Status::Malformed;
}

struct UdpFrame {
	be16 request_id{};
	uint16_t seq = 0;
	uint16_t count = 0;
	uint32_t payload_off = 0; // where the text starts
};

// The frame header memcached expects on UDP: seq < count, reserved zero.
NETEXT_INLINE bool parse_udp_frame(const PacketView &v, uint32_t off, UdpFrame &out) noexcept
{
	Ref<McUdpHdr> h = v.get<McUdpHdr>(off);
	if (!h)
		return false;
	uint16_t seq = h->seq.host(), count = h->count.host();
	if (count == 0 || seq >= count || h->reserved.host() != 0)
		return false;
	out.request_id = h->request_id;
	out.seq = seq;
	out.count = count;
	out.payload_off = off + sizeof(McUdpHdr);
	return true;
}

} // namespace netext::memcached
