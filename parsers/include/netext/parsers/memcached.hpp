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

// The hash keys come with: each 8-byte little-endian word of the key (the last one
// zero-padded) mixed into a 64-bit state, then the length, folded to 32 bits. Not FNV-1a,
// which published BMC uses: FNV-1a multiplies once per byte, one after the other; this
// multiplies once per word (4 cycles where FNV-1a takes ~24 for 8 bytes). Keys have no zero
// bytes, so the padding is not ambiguous; the length goes in anyway.
inline constexpr uint64_t kKeyHashSeed = 0x9e3779b97f4a7c15ull;
constexpr uint64_t key_hash_word(uint64_t h, uint64_t w) noexcept
{
	h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
	return h ^ (h >> 31);
}
constexpr uint32_t key_hash_finish(uint64_t h, uint32_t len) noexcept
{
	h = (h ^ len) * 0x94d049bb133111ebull;
	return static_cast<uint32_t>(h ^ (h >> 32));
}
// The hash of a key's bytes, for user space (tests, tools); what the parser computes.
constexpr uint32_t key_hash(const char *p, uint32_t len) noexcept
{
	uint64_t h = kKeyHashSeed;
	for (uint32_t i = 0; i < len; i += 8) {
		uint64_t w = 0;
		for (uint32_t j = 0; j < 8 && i + j < len; j++)
			w |= static_cast<uint64_t>(static_cast<uint8_t>(p[i + j])) << (8 * j);
		h = key_hash_word(h, w);
	}
	return key_hash_finish(h, len);
}

struct Key {
	uint16_t off; // in the packet view
	uint16_t len;
	uint32_t hash; // key_hash() of its bytes, computed while it was scanned
};

struct Request {
	Command cmd = Command::Unknown;
	uint8_t nkeys = 0;
	uint16_t pad = 0;      // explicit: a Request is stored in a map (Wire)
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
// Where memcached may end a line: it ends a line at the first '\n' (dropping a '\r'
// before it), so a line is followed only up to either.
struct IsLineEnd {
	static constexpr bool match(uint8_t b) noexcept { return b == '\r' || b == '\n'; }
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

// memcached's commands that change no key and have no data block (an allow-list: stats
// and its subcommands, version, verbosity, quit, the meta no-op mn): their line is all
// there is. Sets len to the word's length.
NETEXT_INLINE bool read_only_at(const PacketView &v, uint32_t off, uint32_t &len) noexcept
{
#define NETEXT_MC_READ_ONLY(lit)                                                                   \
	if (word_is(v, off, lit)) {                                                                \
		len = sizeof(lit) - 1;                                                             \
		return true;                                                                       \
	}
	NETEXT_MC_READ_ONLY("stats")
	NETEXT_MC_READ_ONLY("version")
	NETEXT_MC_READ_ONLY("verbosity")
	NETEXT_MC_READ_ONLY("quit")
	NETEXT_MC_READ_ONLY("mn")
#undef NETEXT_MC_READ_ONLY
	len = 0;
	return false;
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
	// Hidden from the verifier: the eleven ways out of the loop meet again.
	out = opaque(static_cast<uint32_t>(n));
	return opaque(off + i);
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

// The bytes below the lowest one whose top bit is set in a mask of top bits: 0..7, or 8
// when none is. Branch-free (eBPF has no count-trailing-zeros): the top bits below the
// lowest set one, one per byte before it, summed into the top byte by a multiply.
constexpr uint32_t bytes_before_top(uint64_t m) noexcept
{
	constexpr uint64_t kOnes = 0x0101010101010101ull, kTops = 0x8080808080808080ull;
	uint64_t below = ((m & (~m + 1)) - 1) & kTops;
	return static_cast<uint32_t>(((below >> 7) * kOnes) >> 56) & 15;
}

// Index (0..7) of the lowest byte whose top bit is set in a non-zero mask of top bits.
constexpr uint32_t first_top_byte(uint64_t m) noexcept
{
	return bytes_before_top(m) & 7;
}

// The 8 bytes at off as a little-endian word, the bytes at or past `limit` (<= the view's
// size) as zero: one load, also for the last bytes of the view (the word ending there,
// shifted). False if off >= limit.
NETEXT_INLINE bool word_at(const PacketView &v, uint32_t off, uint32_t limit, uint64_t &w) noexcept
{
	uint32_t size = v.size();
	if (off >= limit || limit > size)
		return false;
	if (off + 8 <= size) {
		if (!v.load(off, w))
			return false;
	} else if (size >= 8) {
		if (!v.load(size - 8, w))
			return false;
		w >>= ((off + 8 - size) * 8) & 63; // 1..7 bytes past the end
	} else {
#if NETEXT_BACKEND_EBPF
		return false; // no XDP or tc packet is shorter than an Ethernet header
#else
		// A view shorter than a word: a bare text line (the host's tests and tools).
		w = 0;
		for (uint32_t i = 0; i < 7; i++) {
			int b = v.byte(off + i);
			if (b < 0)
				break;
			w |= static_cast<uint64_t>(b) << (8 * i);
		}
#endif
	}
	uint32_t room = limit - off;
	if (room < 8)
		w &= (uint64_t{1} << ((room * 8) & 63)) - 1;
	return true;
}

// The decimal number at off (1 to 10 digits fitting 32 bits, before `limit`): the offset
// after it, or 0. Up to 7 digits (every flags, exptime and size a cache sees) from one word
// load: the digits found by their top bits, then combined pairwise by three multiplies;
// a run of 8 digits or more goes to decimal_at.
NETEXT_INLINE uint32_t number_at(const PacketView &v, uint32_t off, uint32_t limit,
				 uint32_t &out) noexcept
{
	constexpr uint64_t kOnes = 0x0101010101010101ull, kTops = 0x8080808080808080ull;
	uint64_t w = 0;
	if (!word_at(v, off, limit, w))
		return 0;
	uint64_t x = w ^ (kOnes * '0');				      // digits as 0..9
	uint64_t other = (((x & ~kTops) + kOnes * 0x76) | x) & kTops; // bytes above 9
	if (other == 0)
		return decimal_at(v, off, out);
	uint32_t n = first_top_byte(other);
	if (n == 0)
		return 0;
	x <<= (64 - 8 * n) & 63; // the n digits to the top bytes, zeros (leading) below
	x = ((x & 0x0f0f0f0f0f0f0f0full) * 2561) >> 8;
	x = ((x & 0x00ff00ff00ff00ffull) * 6553601) >> 16;
	x = ((x & 0x0000ffff0000ffffull) * 42949672960001ull) >> 32;
	out = opaque(static_cast<uint32_t>(x));
	return opaque(off + n); // hidden from the verifier: the ways out meet again
}

// The number of leading decimal digits of a little-endian word: 0..8 (8 when all are).
constexpr uint32_t digit_run(uint64_t w) noexcept
{
	constexpr uint64_t kOnes = 0x0101010101010101ull, kTops = 0x8080808080808080ull;
	uint64_t x = w ^ (kOnes * '0');					      // digits as 0..9
	return bytes_before_top((((x & ~kTops) + kOnes * 0x76) | x) & kTops); // bytes above 9
}

// The value of the first n (0..8) digits of a little-endian word (branch-free: the n
// digits to the top bytes, zeros below them, combined pairwise by three multiplies).
constexpr uint64_t digits_value(uint64_t w, uint32_t n) noexcept
{
	uint64_t keep = ((uint64_t{1} << ((n * 8) & 63)) - 1) | (0 - static_cast<uint64_t>(n >> 3));
	uint64_t x = (w ^ (0x0101010101010101ull * '0')) & keep;
	x <<= (64 - 8 * n) & 63;
	x = ((x & 0x0f0f0f0f0f0f0f0full) * 2561) >> 8;
	x = ((x & 0x00ff00ff00ff00ffull) * 6553601) >> 16;
	return ((x & 0x0000ffff0000ffffull) * 42949672960001ull) >> 32;
}

struct Digits {
	uint32_t n;	// leading digits, 0..16 (16: perhaps more)
	uint64_t value; // of those n digits
};

// The run of decimal digits at off (before `limit`): two word loads, no loop.
NETEXT_INLINE Digits digits_at(const PacketView &v, uint32_t off, uint32_t limit) noexcept
{
	uint64_t w0 = 0, w1 = 0;
	if (!word_at(v, off, limit, w0))
		return Digits{0, 0};
	uint32_t n0 = digit_run(w0), n1 = 0;
	if (n0 == 8 && word_at(v, off + 8, limit, w1))
		n1 = digit_run(w1);
	uint64_t pow = digits_value(0x3939393939393939ull, n1) + 1; // 10^n1: n1 nines, plus one
	return Digits{opaque(n0 + n1), digits_value(w0, n0) * pow + digits_value(w1, n1)};
}

// The largest <bytes> memcached takes (it adds 2 to an int for the "\r\n").
inline constexpr uint32_t kMaxDataLen = 0x7fffffff - 2;

struct KeyBytes {
	uint32_t len;  // bytes of the key (> kMaxKeyLen: too long)
	uint32_t hash; // key_hash() of them
};

struct KeyWords {
	PacketView v;
	uint32_t off;
	uint32_t limit;
	uint32_t len; // bytes taken so far
	uint64_t h;   // key_hash() state
};

// One word of a key: its bytes up to the first that cannot be in a key (or `limit`)
// taken and hashed; 1 when the key ended in it.
NETEXT_INLINE long key_word_step([[maybe_unused]] uint64_t index, KeyWords &k)
{
	uint64_t w = 0;
	if (!word_at(k.v, k.off + k.len, k.limit, w))
		return 1;
	uint64_t stop = not_key_bytes(w);
	if (stop == 0) {
		k.h = key_hash_word(k.h, w);
		k.len += 8;
		return 0;
	}
	uint32_t n = first_top_byte(stop);
	if (n > 0)
		k.h = key_hash_word(k.h, w & ((uint64_t{1} << (n * 8)) - 1));
	k.len += n;
	return 1;
}

// Scans and hashes the key at off, a word at a time: the bytes up to the first that cannot
// be in a key, or `limit`; at most 256 (a longer key comes back with len > kMaxKeyLen).
// A step per word (on eBPF a bpf_loop callback: the verifier checks one step).
NETEXT_INLINE KeyBytes scan_key(const PacketView &v, uint32_t off, uint32_t limit) noexcept
{
	KeyWords k{v, off, limit, opaque(0u), kKeyHashSeed}; // len: see opaque()
	loop<key_word_step>((kMaxKeyLen + 1 + 7) / 8, k);
	return KeyBytes{k.len, key_hash_finish(k.h, k.len)};
}

// pos past the spaces there: mostly one, no scan for that.
template <uint32_t MaxLine>
NETEXT_INLINE uint32_t skip_spaces(const PacketView &v, uint32_t pos, uint32_t limit) noexcept
{
	if (v.byte(pos) == ' ' && v.byte(pos + 1) != ' ')
		pos++;
	else
		pos = v.scan<NotSpace, MaxLine>(pos, limit);
	return opaque(pos); // hidden from the verifier: the two paths meet again
}

// The end of the token after the spaces at pos (a token is a run of key bytes), or 0.
// Most tokens (numbers) are shorter than a word: one load finds their end.
template <uint32_t MaxLine>
NETEXT_INLINE uint32_t token_end(const PacketView &v, uint32_t pos, uint32_t limit) noexcept
{
	pos = skip_spaces<MaxLine>(v, pos, limit);
	uint64_t w = 0;
	uint64_t stop = word_at(v, pos, limit, w) ? not_key_bytes(w) : 0;
	uint32_t end =
		stop != 0 ? pos + first_top_byte(stop) : v.scan<NotKeyByte, MaxLine>(pos, limit);
	return opaque(end > pos && end < limit ? end : 0u); // the paths out meet again
}

// One number of a storage line, as memcached 1.6 reads it or stricter (then the line is
// Malformed and a cache flushes: safe): spaces, a '-' if `sign`, 1 to `digits` digits
// (<= 16) whose value is <= max, then a space or the '\r'. The offset after it, or 0.
template <uint32_t MaxLine>
NETEXT_INLINE uint32_t number_field(const PacketView &v, uint32_t pos, uint32_t limit, bool sign,
				    uint32_t digits, uint64_t max, uint64_t &out) noexcept
{
	pos = skip_spaces<MaxLine>(v, pos, limit);
	if (sign && v.byte(pos) == '-')
		pos = opaque(pos + 1);
	Digits d = digits_at(v, pos, limit);
	int after = v.byte(pos + d.n);
	if (d.n == 0 || d.n > digits || d.value > max || (after != ' ' && after != '\r'))
		return 0;
	out = d.value;
	return opaque(pos + d.n);
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
	uint32_t pos = skip_spaces<MaxLine>(s.v, s.pos, s.limit);
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

// "<flags> <exptime> <bytes>[ <cas unique>][ noreply]\r\n" after a storage command's key
// (pos), as memcached 1.6 reads them or stricter: flags a u32, exptime a 32-bit number,
// bytes <= kMaxDataLen, cas unique up to 16 digits (memcached: any u64, so a longer one is
// refused here: it flushes), then at most one more word (memcached ignores it unless it is
// "noreply"; a second one is an ERROR). Sets out.data_len and out.line_end.
template <uint32_t MaxLine>
NETEXT_INLINE bool storage_fields(const PacketView &v, uint32_t pos, uint32_t limit, bool cas,
				  Request &out) noexcept
{
	uint64_t flags = 0, exptime = 0, bytes = 0, unique = 0;
	pos = number_field<MaxLine>(v, pos, limit, false, 10, 0xffffffffu, flags);
	pos = pos ? number_field<MaxLine>(v, pos, limit, true, 10, 0xffffffffu, exptime) : 0;
	pos = pos ? number_field<MaxLine>(v, pos, limit, false, 10, kMaxDataLen, bytes) : 0;
	if (cas)
		pos = pos ? number_field<MaxLine>(v, pos, limit, false, 16, ~uint64_t{0}, unique)
			  : 0;
	if (pos == 0)
		return false;
	pos = skip_spaces<MaxLine>(v, pos, limit);
	if (v.byte(pos) != '\r') {
		pos = token_end<MaxLine>(v, pos, limit); // noreply
		pos = pos ? skip_spaces<MaxLine>(v, pos, limit) : 0;
	}
	if (pos == 0 || pos >= limit || v.byte(pos) != '\r' || v.byte(pos + 1) != '\n')
		return false;
	out.data_len = static_cast<uint32_t>(bytes);
	out.line_end = pos;
	return true;
}

} // namespace detail

// Parses the request line starting at off. For get/gets every key is recorded (up to
// kMaxGetKeys); for the other key commands the first token after the command is the key;
// flush_all has none. Keys come with their key_hash(). The line must end in "\r\n"
// within MaxLine bytes; runs of spaces separate tokens like one space.
// GetsOnly: a command other than get/gets comes back Ok (out.cmd set) after its command
// word, its line unread: for a caller that only serves GETs (and whose verifier then checks
// none of the other commands' lines).
template <uint32_t MaxLine = kMaxLineLen, bool GetsOnly = false>
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
	if constexpr (GetsOnly)
		if (!multi)
			return Status::Ok;
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
		// The line says how long the data block after it is, and memcached reads that
		// block as commands when it refuses the line: so a storage line is Ok only
		// when memcached 1.6 takes it (its numbers, at most one word after them).
		if (!detail::storage_fields<MaxLine>(v, pos, limit, out.cmd == Command::Cas, out))
			return Status::Malformed;
		return Status::Ok;
	}
	// The rest of the line: arguments, not keys.
	uint32_t end = v.scan<detail::IsLineEnd, MaxLine>(pos, limit);
	if (end >= limit || v.byte(end) != '\r' || v.byte(end + 1) != '\n')
		return Status::Malformed; // no "\r\n", a '\r' alone, or a '\n' alone first
	out.line_end = end;
	return Status::Ok;
}

// Fast paths for the two requests a cache sees most, written exactly as clients write them;
// each says false for anything else, which parse_request() then parses (the results agree:
// tests/unit/memcached_test.cpp). They take no loop but the key's words, so they cost a
// fraction of the general parse, and little to the verifier.
namespace detail {
inline constexpr uint32_t kGetWord = 0x20746567; // "get " as a little-endian word
inline constexpr uint32_t kSetWord = 0x20746573; // "set "

// The key at off, before `limit`, as scan_key() finds it: the first two words (most keys)
// stepped directly, the rest (if any) by scan_key's loop: no callback for a short key.
NETEXT_INLINE KeyBytes short_key(const PacketView &v, uint32_t off, uint32_t limit) noexcept
{
	KeyWords kw{v, off, limit, 0u, kKeyHashSeed};
	if (key_word_step(0, kw) == 0) {
		asm volatile("" ::: "memory"); // two steps, not a loop clang folds them into
		if (key_word_step(1, kw) == 0) {
			kw.len = opaque(kw.len); // see scan_key
			loop<key_word_step>((kMaxKeyLen + 1 + 7) / 8 - 2, kw);
		}
	}
	return KeyBytes{kw.len, key_hash_finish(kw.h, kw.len)};
}

// The key after the 4-byte command word at off, ending at `end`: into out.keys[0].
NETEXT_INLINE uint32_t plain_key(const PacketView &v, uint32_t off, uint32_t end, uint32_t word,
				 Request &out) noexcept
{
	uint32_t w = 0;
	if (!v.load(off, w) || w != word)
		return 0;
	KeyBytes k = short_key(v, off + 4, end);
	if (k.len == 0 || k.len > kMaxKeyLen)
		return 0;
	out.nkeys = 1;
	out.keys.set(0, Key{static_cast<uint16_t>(off + 4), static_cast<uint16_t>(k.len), k.hash});
	return off + 4 + k.len;
}
} // namespace detail

// "get <key>\r\n" at off, the line ending exactly at `end` (<= the view's size).
NETEXT_INLINE bool parse_plain_get(const PacketView &v, uint32_t off, uint32_t end,
				   Request &out) noexcept
{
	uint32_t pos = detail::plain_key(v, off, end, detail::kGetWord, out);
	if (pos == 0 || pos + 2 != end || v.byte(pos) != '\r' || v.byte(pos + 1) != '\n')
		return false;
	out.cmd = Command::Get;
	out.line_end = pos;
	out.data_len = 0;
	return true;
}

// "set <key> <flags> <exptime> <bytes>\r\n" at off (single spaces, exptime not negative,
// no noreply), the line ending before `end` (<= the view's size); data_len = <bytes>.
NETEXT_INLINE bool parse_plain_set(const PacketView &v, uint32_t off, uint32_t end,
				   Request &out) noexcept
{
	uint32_t pos = detail::plain_key(v, off, end, detail::kSetWord, out);
	uint32_t flags = 0, exptime = 0;
	if (pos == 0 || v.byte(pos) != ' ')
		return false;
	pos = detail::number_at(v, pos + 1, end, flags);
	if (pos == 0 || v.byte(pos) != ' ')
		return false;
	pos = detail::number_at(v, pos + 1, end, exptime);
	if (pos == 0 || v.byte(pos) != ' ')
		return false;
	pos = detail::number_at(v, pos + 1, end, out.data_len);
	if (pos == 0 || pos + 2 > end || v.byte(pos) != '\r' || v.byte(pos + 1) != '\n' ||
	    out.data_len > detail::kMaxDataLen)
		return false;
	out.cmd = Command::Set;
	out.line_end = pos;
	return true;
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
	detail::KeyBytes k = detail::short_key(v, pos, limit);
	if (k.len == 0 || k.len > kMaxKeyLen || v.byte(pos + k.len) != ' ')
		return false;
	out.key = Key{static_cast<uint16_t>(pos), static_cast<uint16_t>(k.len), k.hash};
	pos = detail::number_at(v, pos + k.len + 1, limit, out.flags);
	if (pos == 0 || v.byte(pos) != ' ')
		return false;
	pos = detail::number_at(v, pos + 1, limit, out.bytes);
	if (pos == 0)
		return false;
	out.cas_off = pos;
	if (pos < limit && v.byte(pos) == '\r' && v.byte(pos + 1) == '\n') {
		out.line_end = pos; // a get's answer: no cas, no scan
		return true;
	}
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
