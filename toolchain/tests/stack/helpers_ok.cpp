// expect-rc: 0
// expect: ok: ([0-9]+) bytes of 14336.*netext_map_lookup.*declared
extern "C" void *netext_map_lookup(void *map, const void *key);

extern "C" int netext_entry_ok(void *map)
{
	int key = 0;
	return netext_map_lookup(map, &key) != nullptr;
}
