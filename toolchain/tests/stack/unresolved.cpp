// expect-rc: 1
// expect: call to 'printk': not in the object and not a declared runtime helper
extern "C" int printk(const char *, ...);

extern "C" int netext_entry_unres(void *)
{
	return printk("x");
}
