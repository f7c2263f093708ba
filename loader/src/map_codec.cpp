// Map keys and values as text: see map_codec.hpp.
#include <netext/loader/error.hpp>
#include <netext/loader/map_codec.hpp>
#include <netext/loader/object.hpp>

#include <arpa/inet.h>
#include <bpf/btf.h>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace netext::loader {

namespace {

[[noreturn]] void usage_error(const std::string &msg)
{
	throw Error(msg, ExitCode::Usage);
}

} // namespace

std::string format_fields(const std::vector<Field> &fields, const uint8_t *p, std::size_t size)
{
	if (fields.empty()) {
		std::string s = "hex:";
		char b[3];
		for (std::size_t i = 0; i < size; i++) {
			std::snprintf(b, sizeof(b), "%02x", p[i]);
			s += b;
		}
		return s;
	}
	std::string s;
	for (const Field &f : fields) {
		if (!s.empty())
			s += " ";
		if (!f.name.empty()) // a plain integer key or value has no field name
			s += f.name + "=";
		const uint8_t *q = p + f.offset;
		uint64_t v = 0;
		char buf[64];
		switch (f.type) {
		case Field::Type::U8:
			v = q[0];
			s += std::to_string(v);
			break;
		case Field::Type::U16:
			std::memcpy(&v, q, 2);
			s += std::to_string(v);
			break;
		case Field::Type::U32:
			std::memcpy(&v, q, 4);
			s += std::to_string(v);
			break;
		case Field::Type::U64:
			std::memcpy(&v, q, 8);
			s += std::to_string(v);
			break;
		case Field::Type::Be16: s += std::to_string(q[0] << 8 | q[1]); break;
		case Field::Type::Be32:
			s += std::to_string(static_cast<uint32_t>(q[0]) << 24 | q[1] << 16 |
					    q[2] << 8 | q[3]);
			break;
		case Field::Type::Ipv4:
			inet_ntop(AF_INET, q, buf, sizeof(buf));
			s += buf;
			break;
		case Field::Type::Ipv6:
			inet_ntop(AF_INET6, q, buf, sizeof(buf));
			s += buf;
			break;
		case Field::Type::Mac:
			std::snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", q[0], q[1],
				      q[2], q[3], q[4], q[5]);
			s += buf;
			break;
		case Field::Type::Bytes: s += format_fields({}, q, f.size); break;
		}
	}
	return s;
}

// Parses "hex:..." (any map), a number (a one-field integer key/value), or
// "name=value,name=value" (integer fields).
std::vector<uint8_t> parse_typed(const std::vector<Field> &fields, const std::string &text,
				 std::size_t size, const char *what)
{
	std::vector<uint8_t> out(size, 0);
	auto bad = [&](const std::string &why) {
		usage_error(std::string("cannot parse ") + what + " '" + text + "': " + why +
			    " (give hex:<" + std::to_string(size) + " bytes in hex>" +
			    (fields.empty() ? "" : ", or field=value pairs") + ")");
	};
	if (text.starts_with("hex:")) {
		std::string hex = text.substr(4);
		if (hex.size() != size * 2)
			bad("expected " + std::to_string(size * 2) + " hex digits");
		for (std::size_t i = 0; i < size; i++) {
			try {
				out[i] = static_cast<uint8_t>(
					std::stoul(hex.substr(i * 2, 2), nullptr, 16));
			} catch (const std::exception &) {
				bad("not hex");
			}
		}
		return out;
	}
	if (fields.empty())
		bad("this map's types are not declared");
	auto put = [&](const Field &f, const std::string &v) {
		uint64_t n;
		try {
			std::size_t used;
			n = std::stoull(v, &used, 0);
			if (used != v.size())
				bad("'" + v + "' is not a number");
		} catch (const std::exception &) {
			bad("'" + v + "' is not a number");
		}
		std::size_t w = f.type == Field::Type::U8    ? 1
				: f.type == Field::Type::U16 ? 2
				: f.type == Field::Type::U32 ? 4
				: f.type == Field::Type::U64 ? 8
							     : 0;
		if (w == 0)
			bad("field '" + f.name + "' takes hex only");
		std::memcpy(out.data() + f.offset, &n, w);
	};
	if (fields.size() == 1 && text.find('=') == std::string::npos) {
		put(fields[0], text);
		return out;
	}
	std::size_t pos = 0;
	while (pos < text.size()) {
		std::size_t comma = text.find(',', pos);
		std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos
									       : comma - pos);
		pos = comma == std::string::npos ? text.size() : comma + 1;
		std::size_t eq = item.find('=');
		if (eq == std::string::npos)
			bad("expected field=value");
		const Field *f = nullptr;
		for (const Field &x : fields)
			if (x.name == item.substr(0, eq))
				f = &x;
		if (!f)
			bad("no field '" + item.substr(0, eq) + "'");
		put(*f, item.substr(eq + 1));
	}
	return out;
}

MapInfo map_info(int fd)
{
	MapInfo m;
	uint32_t len = sizeof(m.info);
	if (bpf_obj_get_info_by_fd(fd, &m.info, &len) != 0)
		throw Error("cannot inspect map: " + std::string(std::strerror(errno)));
	m.per_cpu = m.info.type == BPF_MAP_TYPE_PERCPU_ARRAY ||
		    m.info.type == BPF_MAP_TYPE_PERCPU_HASH ||
		    m.info.type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	m.cpus = m.per_cpu ? static_cast<std::size_t>(possible_cpus()) : 1;
	m.stride = m.per_cpu ? (m.info.value_size + 7) / 8 * 8 : m.info.value_size;
	return m;
}

// Fields of a map's key or value from its BTF (apps that are not built in declare
// nothing else): an integer, or a struct's integer members. Empty if it is anything else.
std::vector<Field> fields_from_btf(const btf *b, uint32_t type_id)
{
	std::vector<Field> out;
	if (!b || type_id == 0)
		return out;
	auto int_field = [](const btf_type *t, std::string name, uint32_t offset,
			    std::vector<Field> &fields) {
		if (!btf_is_int(t) || btf_int_offset(t) != 0 || btf_int_bits(t) != t->size * 8)
			return false;
		Field::Type ft = t->size == 1	? Field::Type::U8
				 : t->size == 2 ? Field::Type::U16
				 : t->size == 4 ? Field::Type::U32
						: Field::Type::U64;
		if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
			return false;
		fields.push_back({std::move(name), ft, offset, t->size});
		return true;
	};
	int32_t id = btf__resolve_type(b, type_id);
	if (id < 0)
		return out;
	const btf_type *t = btf__type_by_id(b, static_cast<uint32_t>(id));
	if (int_field(t, "", 0, out))
		return out;
	if (!btf_is_struct(t))
		return out;
	const btf_member *m = btf_members(t);
	for (uint16_t i = 0; i < btf_vlen(t); i++, m++) {
		uint32_t bits = btf_member_bit_offset(t, i);
		int32_t mid = btf__resolve_type(b, m->type);
		if (mid < 0 || bits % 8 != 0 || btf_member_bitfield_size(t, i) != 0)
			continue;
		int_field(btf__type_by_id(b, static_cast<uint32_t>(mid)),
			  btf__name_by_offset(b, m->name_off), bits / 8, out);
	}
	return out;
}

// Sums per-CPU values field by field (integer fields), or returns the single value.
std::vector<uint8_t> summed(const MapInfo &m, const std::vector<Field> &fields,
			    const std::vector<uint8_t> &raw)
{
	std::vector<uint8_t> out(raw.begin(), raw.begin() + m.info.value_size);
	if (!m.per_cpu)
		return out;
	for (const Field &f : fields) {
		if (f.type != Field::Type::U64 && f.type != Field::Type::U32)
			continue;
		std::size_t w = f.type == Field::Type::U64 ? 8 : 4;
		uint64_t total = 0;
		for (std::size_t c = 0; c < m.cpus; c++) {
			uint64_t v = 0;
			std::memcpy(&v, raw.data() + c * m.stride + f.offset, w);
			total += v;
		}
		std::memcpy(out.data() + f.offset, &total, w);
	}
	return out;
}

} // namespace netext::loader
