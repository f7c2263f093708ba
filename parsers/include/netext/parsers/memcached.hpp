// The memcached text protocol: the request line's command and keys, and the 8-byte UDP
// frame header. Keys are located (offset, length) in the packet, not copied.
#pragma once

#include <cstdint>

#include <netext/array.hpp>
#include <netext/packet.hpp>
#include <netext/parsers/headers.hpp>
#include <netext/runtime.hpp>

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

// Storage commands: "<cmd> <key> <flags> <exptime> <bytes> ...\r\n" and a data block.
constexpr bool stores(Command c) noexcept
{
	return c == Command::Set || c == Command::Add || c == Command::Replace ||
	       c == Command::Append || c == Command::Prepend || c == Command::Cas;
}

// FNV-1a (32 bits), the hash published BMC and many memcached clients use for keys.
inline constexpr uint32_t kFnvBasis = 2166136261u;
inline constexpr uint32_t kFnvPrime = 16777619u;
constexpr uint32_t fnv1a_step(uint32_t h, uint8_t b) noexcept
{
	return (h ^ b) * kFnvPrime;
}

struct Key {
	uint16_t off; // in the packet view
	uint16_t len;
	uint32_t hash; // FNV-1a of its bytes, computed while it was scanned
};

struct Request {
	Command cmd = Command::Unknown;
	uint8_t nkeys = 0;
	uint32_t line_end = 0; // offset of the "\r\n" ending the request line
	uint32_t data_len = 0; // storage commands: <bytes>, the data block after the line
	array<Key, kMaxGetKeys> keys{};
};

enum class Status : uint8_t {
	Ok,
	NotMemcached, // not a command this parser knows (pass it on)
	Malformed,    // no "\r\n", empty or oversized key, bad character, too many keys
};

namespace detail {

// Scan predicates (PacketView::scan).
struct IsCr {
	static constexpr bool match(uint8_t b) noexcept { return b == '\r'; }
};
struct NotSpace {
	static constexpr bool match(uint8_t b) noexcept { return b != ' '; }
};
// Ends a key: memcached keys have no whitespace or control characters.
struct NotKeyByte {
	static constexpr bool match(uint8_t b) noexcept { return b <= 0x20 || b >= 0x7f; }
};

// Is the word w at off, ending at a space, a '\r' or the end of the view?
template <uint32_t N>
NETEXT_INLINE bool word_is(const PacketView &v, uint32_t off, const char (&w)[N]) noexcept
{
	constexpr uint32_t len = N - 1;
	if (!v.equals(off, w))
		return false;
	int after = v.byte(off + len);
	return after < 0 || after == ' ' || after == '\r';
}

NETEXT_INLINE Command command_at(const PacketView &v, uint32_t off, uint32_t &len) noexcept
{
#define NETEXT_MC_WORD(lit, c)                                                                     \
	if (word_is(v, off, lit)) {                                                                \
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

// The decimal number at off, 1 to 10 digits fitting 32 bits: the offset after it, or 0.
NETEXT_INLINE uint32_t decimal_at(const PacketView &v, uint32_t off, uint32_t &out) noexcept
{
	uint64_t n = 0;
	uint32_t i = 0;
	for (; i < 11; i++) {
		int c = v.byte(off + i);
		if (c < '0' || c > '9')
			break;
		n = n * 10 + static_cast<uint32_t>(c - '0');
	}
	if (i == 0 || i > 10 || n > 0xffffffffu)
		return 0;
	out = static_cast<uint32_t>(n);
	return off + i;
}

// The end of the token after the spaces at pos (a token is a run of key bytes), or 0.
template <uint32_t MaxLine>
NETEXT_INLINE uint32_t token_end(const PacketView &v, uint32_t pos, uint32_t limit) noexcept
{
	pos = v.scan<NotSpace, MaxLine>(pos, limit);
	uint32_t end = v.scan<NotKeyByte, MaxLine>(pos, limit);
	return end > pos && end < limit ? end : 0;
}

// A key's bytes from `off`, hashed as they are scanned: eight a step (one word load
// when eight are there), up to the first byte that cannot be in a key or `limit`.
struct KeyBytes {
	PacketView v;
	uint32_t off;
	uint32_t limit;
	uint32_t len;  // bytes taken so far
	uint32_t hash; // their FNV-1a
};

NETEXT_INLINE bool take_key_byte(KeyBytes &k, uint32_t b) noexcept
{
	if (NotKeyByte::match(static_cast<uint8_t>(b)))
		return false;
	k.hash = fnv1a_step(k.hash, static_cast<uint8_t>(b));
	k.len++;
	return true;
}

// The bytes of w (little-endian) that cannot be in a key, as their top bits: <= 0x20,
// 0x7f, or >= 0x80 (each byte's low seven bits plus a constant never carry into the next).
constexpr uint64_t not_key_bytes(uint64_t w) noexcept
{
	constexpr uint64_t kOnes = 0x0101010101010101ull, kTops = 0x8080808080808080ull;
	uint64_t low = w & ~kTops;
	uint64_t printable = (low + 0x5f * kOnes) & kTops; // low >= 0x21
	uint64_t del = (low + kOnes) & kTops;		   // low == 0x7f
	return ((~printable & kTops) | del | (w & kTops));
}

// Index (0..7) of the lowest byte whose top bit is set in a non-zero mask.
constexpr uint32_t first_top_byte(uint64_t m) noexcept
{
	uint32_t n = 0;
	if ((m & 0x80808080ull) == 0) {
		n = 4;
		m >>= 32;
	}
	if ((m & 0x8080ull) == 0) {
		n += 2;
		m >>= 16;
	}
	return (m & 0x80ull) ? n : n + 1;
}

NETEXT_INLINE long key_bytes_step([[maybe_unused]] uint64_t index, KeyBytes &k)
{
	uint32_t at = k.off + k.len;
	uint64_t w = 0;
	if (at + 8 <= k.limit && k.v.load(at, w)) {
		for (uint32_t j = 0; j < 8; j++, w >>= 8) // little-endian: first byte first
			if (!take_key_byte(k, static_cast<uint32_t>(w & 0xff)))
				return 1;
		return 0;
	}
	for (uint32_t j = 0; j < 7; j++) {
		int b = at + j < k.limit ? k.v.byte(at + j) : -1;
		if (b < 0 || !take_key_byte(k, static_cast<uint32_t>(b)))
			return 1;
	}
	return 1;
}

// Scans (and hashes) the key at off, at most kMaxKeyLen + 1 bytes of it: a longer one
// comes back with len > kMaxKeyLen.
NETEXT_INLINE KeyBytes scan_key(const PacketView &v, uint32_t off, uint32_t limit) noexcept
{
	KeyBytes k{v, off, limit, opaque(0u), kFnvBasis}; // len: see opaque()
	constexpr uint32_t kSteps = (kMaxKeyLen + 1 + 7) / 8;
	loop<key_bytes_step>(kSteps, k);
	return k;
}

// One key per step: skip spaces, take a key (hashing it), check what ends it. For get and
// gets the step that meets the "\r\n" ends the line. Shared by both backends; on eBPF it
// is a bpf_loop callback, so the verifier checks one step rather than 33 unrolled ones.
struct KeyScan {
	PacketView v;
	uint32_t pos;
	uint32_t limit;
	bool multi;
	bool line_done; // a get's "\r\n" was found (Request::line_end set)
	Status status;	// Ok while keys keep coming
	Request *out;
};

template <uint32_t MaxLine>
NETEXT_INLINE long key_step([[maybe_unused]] uint64_t index, KeyScan &s)
{
	uint32_t pos = s.pos;
	// Mostly one space: no scan for that.
	if (s.v.byte(pos) == ' ' && s.v.byte(pos + 1) != ' ')
		pos++;
	else
		pos = s.v.scan<NotSpace, MaxLine>(pos, s.limit);
	int at = s.v.byte(pos);
	if (at == '\r' && s.multi && s.out->nkeys > 0) {
		if (s.v.byte(pos + 1) != '\n') {
			s.status = Status::Malformed; // a '\r' alone
			return 1;
		}
		s.out->line_end = pos;
		s.line_done = true;
		return 1;
	}
	KeyBytes k = scan_key(s.v, pos, s.limit);
	int after = s.v.byte(pos + k.len);
	uint8_t n = s.out->nkeys;
	if (pos >= s.limit || k.len == 0 || k.len > kMaxKeyLen || n >= kMaxGetKeys ||
	    (after != ' ' && after != '\r')) {
		// No "\r\n", an empty key, a control character, too long, too many keys.
		s.status = Status::Malformed;
		return 1;
	}
	s.out->keys.set(n, Key{static_cast<uint16_t>(pos), static_cast<uint16_t>(k.len), k.hash});
	s.out->nkeys = static_cast<uint8_t>(n + 1);
	s.pos = pos + k.len;
	return s.multi ? 0 : 1; // for the other commands the rest are arguments, not keys
}

} // namespace detail

// Parses the request line starting at off. For get/gets every key is recorded (up to
// kMaxGetKeys); for the other key commands the first token after the command is the key;
// flush_all has none. Keys come with their FNV-1a hash. The line must end in "\r\n"
// within MaxLine bytes; runs of spaces separate tokens like one space.
template <uint32_t MaxLine = kMaxLineLen>
NETEXT_INLINE Status parse_request(const PacketView &v, uint32_t off, Request &out) noexcept
{
	out.nkeys = opaque<uint8_t>(0); // counted by the steps: see opaque()
	uint32_t cmd_len = 0;
	out.cmd = detail::command_at(v, off, cmd_len);
	if (out.cmd == Command::Unknown)
		return Status::NotMemcached;
	uint32_t size = v.size();
	uint32_t limit = size - off < MaxLine ? size : off + MaxLine;
	uint32_t pos = off + cmd_len;
	bool multi = out.cmd == Command::Get || out.cmd == Command::Gets;
	if (out.cmd != Command::FlushAll) {
		detail::KeyScan st{v, pos, limit, multi, false, Status::Ok, &out};
		// One step more than kMaxGetKeys: the one that meets the "\r\n" (or a 33rd key).
		loop<detail::key_step<MaxLine>>(kMaxGetKeys + 1, st);
		if (st.status != Status::Ok)
			return st.status;
		if (multi)
			return st.line_done ? Status::Ok : Status::Malformed;
		pos = st.pos;
	}
	out.data_len = 0;
	if (stores(out.cmd)) {
		// <flags> <exptime> (may be negative): skipped; <bytes>: the data block's size.
		pos = detail::token_end<MaxLine>(v, pos, limit);
		pos = pos ? detail::token_end<MaxLine>(v, pos, limit) : 0;
		pos = pos ? v.scan<detail::NotSpace, MaxLine>(pos, limit) : 0;
		pos = pos ? detail::decimal_at(v, pos, out.data_len) : 0;
		int after = v.byte(pos);
		if (pos == 0 || (after != ' ' && after != '\r'))
			return Status::Malformed;
	}
	// The rest of the line: arguments, not keys.
	uint32_t end = v.scan<detail::IsCr, MaxLine>(pos, limit);
	if (end >= limit || v.byte(end + 1) != '\n')
		return Status::Malformed; // no "\r\n", or a '\r' alone
	out.line_end = end;
	return Status::Ok;
}

// memcached's answer to a get/gets for one key: "VALUE <key> <flags> <bytes>[ <cas>]\r\n",
// then <bytes> of data and "\r\n".
struct ValueLine {
	Key key;
	uint32_t flags = 0;
	uint32_t bytes = 0;
	uint32_t cas_off = 0;  // the " <cas>" of a gets answer; == line_end for a get's
	uint32_t line_end = 0; // offset of the "\r\n"
};

// Parses the answer line at off (memcached writes single spaces; the line must end
// within MaxLine bytes). False if it is not exactly that ("END\r\n" for instance).
template <uint32_t MaxLine = 512>
NETEXT_INLINE bool parse_value_line(const PacketView &v, uint32_t off, ValueLine &out) noexcept
{
	if (!v.equals(off, "VALUE "))
		return false;
	uint32_t size = v.size();
	uint32_t limit = size - off < MaxLine ? size : off + MaxLine;
	uint32_t pos = off + 6;
	detail::KeyBytes k = detail::scan_key(v, pos, limit);
	if (k.len == 0 || k.len > kMaxKeyLen || v.byte(pos + k.len) != ' ')
		return false;
	out.key = Key{static_cast<uint16_t>(pos), static_cast<uint16_t>(k.len), k.hash};
	pos = detail::decimal_at(v, pos + k.len + 1, out.flags);
	if (pos == 0 || v.byte(pos) != ' ')
		return false;
	pos = detail::decimal_at(v, pos + 1, out.bytes);
	if (pos == 0)
		return false;
	out.cas_off = pos;
	uint32_t end = v.scan<detail::IsCr, MaxLine>(pos, limit);
	if (end >= limit || v.byte(end + 1) != '\n' || (end != pos && v.byte(pos) != ' '))
		return false;
	out.line_end = end;
	return true;
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
