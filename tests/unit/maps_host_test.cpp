// Host maps: the kernel's semantics and error codes, per-CPU isolation, LRU eviction.
#define NETEXT_APP_NAME maps_test
#include <netext/maps.hpp>

#include <cerrno>
#include <gtest/gtest.h>

using namespace netext;

namespace {

struct Key {
	uint32_t a;
	uint16_t b;
	uint16_t pad;
};
struct Val {
	uint64_t x;
	uint32_t y;
	uint32_t pad = 0; // map values have no implicit padding (Wire)
};

NETEXT_MAP(arr, Array<Val, 4>);
NETEXT_MAP(pcarr, PerCpuArray<uint64_t, 2>);
NETEXT_MAP(hash, Hash<Key, Val, 3>);
NETEXT_MAP(pchash, PerCpuHash<uint32_t, uint64_t, 8>);
NETEXT_MAP(lru, LruHash<uint32_t, uint32_t, 3>);
NETEXT_MAP(lrupc, LruPerCpuHash<uint32_t, uint32_t, 2>);

class HostMaps : public ::testing::Test {
protected:
	void SetUp() override
	{
		for (host::MapBase *m : host::maps("maps_test"))
			m->clear();
		host::set_current_cpu(0);
	}
};

} // namespace

TEST_F(HostMaps, ArraySemantics)
{
	Ref<Val> v = arr.lookup(3);
	ASSERT_TRUE(v);
	EXPECT_EQ(v->x, 0u); // arrays are zero-filled and every element exists
	EXPECT_FALSE(arr.lookup(4));
	EXPECT_EQ(arr.update(1, Val{7, 8}), 0);
	EXPECT_EQ(arr.lookup(1)->x, 7u);
	EXPECT_EQ(arr.update(4, Val{}), -E2BIG);
	EXPECT_EQ(arr.update(1, Val{}, Update::NoExist), -EEXIST);
	EXPECT_EQ(arr.update(1, Val{9, 9}, Update::Exist), 0);
	EXPECT_EQ(arr.erase(1), -EINVAL);
	EXPECT_EQ(arr.update(1, Val{}, static_cast<Update>(4)), -EINVAL);
	arr.lookup(2)->y = 5; // writes through the handle are visible
	EXPECT_EQ(arr.lookup(2)->y, 5u);
}

TEST_F(HostMaps, PerCpuArrayIsolation)
{
	*pcarr.lookup(0) += 1;
	host::set_current_cpu(1);
	EXPECT_EQ(*pcarr.lookup(0), 0u);
	*pcarr.lookup(0) += 10;
	host::set_current_cpu(0);
	EXPECT_EQ(*pcarr.lookup(0), 1u);
	host::MapBase *m = host::find_map("maps_test", "pcarr");
	ASSERT_NE(m, nullptr);
	uint32_t k = 0;
	uint64_t total = 0;
	for (unsigned cpu = 0; cpu < host::kHostCpus; cpu++)
		total += *reinterpret_cast<uint64_t *>(m->lookup_cpu(&k, cpu));
	EXPECT_EQ(total, 11u);
	EXPECT_THROW(host::set_current_cpu(host::kHostCpus), std::out_of_range);
}

TEST_F(HostMaps, HashSemantics)
{
	Key k1{1, 2, 0}, k2{2, 2, 0}, k3{3, 2, 0}, k4{4, 2, 0};
	EXPECT_FALSE(hash.lookup(k1));
	EXPECT_EQ(hash.update(k1, Val{1, 1}, Update::Exist), -ENOENT);
	EXPECT_EQ(hash.update(k1, Val{1, 1}, Update::NoExist), 0);
	EXPECT_EQ(hash.update(k1, Val{2, 2}, Update::NoExist), -EEXIST);
	EXPECT_EQ(hash.update(k1, Val{3, 3}, Update::Exist), 0);
	EXPECT_EQ(hash.lookup(k1)->x, 3u);
	EXPECT_EQ(hash.update(k2, Val{}), 0);
	EXPECT_EQ(hash.update(k3, Val{}), 0);
	EXPECT_EQ(hash.update(k4, Val{}), -E2BIG); // full, and not LRU
	EXPECT_EQ(hash.update(k3, Val{5, 5}), 0);  // replacing in a full map is fine
	EXPECT_EQ(hash.erase(k4), -ENOENT);
	EXPECT_EQ(hash.erase(k2), 0);
	EXPECT_FALSE(hash.lookup(k2));
	EXPECT_EQ(hash.update(k4, Val{}), 0);
	EXPECT_EQ(host::find_map("maps_test", "hash")->keys().size(), 3u);
}

TEST_F(HostMaps, PerCpuHashIsolation)
{
	EXPECT_EQ(pchash.update(7, 100), 0);
	host::set_current_cpu(2);
	Ref<uint64_t> v = pchash.lookup(7);
	ASSERT_TRUE(v); // the key exists on every CPU, with this CPU's value zeroed
	EXPECT_EQ(*v, 0u);
	EXPECT_EQ(pchash.update(7, 5), 0);
	host::set_current_cpu(0);
	EXPECT_EQ(*pchash.lookup(7), 100u);
}

TEST_F(HostMaps, LruEvictsLeastRecentlyUsed)
{
	EXPECT_EQ(lru.update(1, 10), 0);
	EXPECT_EQ(lru.update(2, 20), 0);
	EXPECT_EQ(lru.update(3, 30), 0);
	EXPECT_TRUE(lru.lookup(1)); // 1 is now the most recent; 2 the least
	EXPECT_EQ(lru.update(4, 40), 0);
	EXPECT_FALSE(lru.lookup(2));
	EXPECT_TRUE(lru.lookup(1));
	EXPECT_TRUE(lru.lookup(3));
	EXPECT_TRUE(lru.lookup(4));
	EXPECT_EQ(lru.update(5, 50), 0); // 1 is least recent now
	EXPECT_FALSE(lru.lookup(1));
	EXPECT_EQ(*lru.lookup(5), 50u);
}

TEST_F(HostMaps, LruPerCpuSharesOneLruList)
{
	EXPECT_EQ(lrupc.update(1, 1), 0);
	host::set_current_cpu(1);
	EXPECT_EQ(lrupc.update(2, 2), 0);
	EXPECT_EQ(lrupc.update(3, 3), 0); // evicts key 1 for every CPU
	host::set_current_cpu(0);
	EXPECT_FALSE(lrupc.lookup(1));
	ASSERT_TRUE(lrupc.lookup(3));
	EXPECT_EQ(*lrupc.lookup(3), 0u);
}

TEST_F(HostMaps, RegistryFindsMapsByAppAndName)
{
	EXPECT_NE(host::find_map("maps_test", "lru"), nullptr);
	EXPECT_EQ(host::find_map("maps_test", "nope"), nullptr);
	EXPECT_EQ(host::find_map("other_app", "lru"), nullptr);
	EXPECT_EQ(host::maps("maps_test").size(), 6u);
	host::MapBase *h = host::find_map("maps_test", "hash");
	EXPECT_EQ(h->kind(), MapKind::Hash);
	EXPECT_EQ(h->key_size(), sizeof(Key));
	EXPECT_EQ(h->value_size(), sizeof(Val));
	EXPECT_EQ(h->max_entries(), 3u);
}
