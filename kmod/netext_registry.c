// SPDX-License-Identifier: GPL-2.0
/*
 * Apps, their slots and the maps bound to them.
 *
 * An app module registers its programs; each gets a slot and a handle: the
 * slot's index with the slot's generation above it (NETEXT_SLOT_BITS). The
 * generation changes every time the slot is given out, so a stub left attached
 * after its app went away (it was loaded with the old handle) never runs the app
 * that registers in that slot next: the dispatcher counts it (stale_slot) and
 * returns the hook's default verdict.
 */
#define pr_fmt(fmt) "netext: " fmt

#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "netext_internal.h"

struct netext_prog __rcu *netext_slots[NETEXT_MAX_SLOTS];
LIST_HEAD(netext_apps);
DEFINE_MUTEX(netext_lock);
/* each slot's last generation (under netext_lock); 0 is never a generation */
static u32 netext_slot_gen[NETEXT_MAX_SLOTS];

/* After the app left the list and an RCU grace period: nothing runs its code. */
static void netext_app_put_maps(struct netext_app *app)
{
	unsigned int i;

	for (i = 0; i < app->nr_maps; i++) {
		struct bpf_map *map = app->maps[i]->map;

		if (map) {
			WRITE_ONCE(app->maps[i]->map, NULL);
			bpf_map_put(map);
		}
	}
}

static void netext_app_free(struct netext_app *app)
{
	unsigned int i;

	for (i = 0; i < app->nr; i++)
		free_percpu(app->progs[i].stats);
	free_percpu(app->faults);
	kfree(app);
}

struct netext_app *netext_find_app(const char *name)
{
	struct netext_app *app;

	list_for_each_entry(app, &netext_apps, node)
		if (!strcmp(app->name, name))
			return app;
	return NULL;
}

static bool netext_map_desc_ok(struct netext_map_desc *const *maps, unsigned int i)
{
	const struct netext_map_desc *d = maps[i];
	unsigned int j;

	if (!d || !d->name || !*d->name || strlen(d->name) >= NETEXT_NAME_LEN || d->map ||
	    !d->key_size || !d->value_size || !d->max_entries)
		return false;
	for (j = 0; j < i; j++)
		if (maps[j] == d || !strcmp(maps[j]->name, d->name))
			return false;
	return true;
}

struct netext_app *netext_app_register(struct module *owner, const char *name,
				       const struct netext_prog_desc *progs,
				       unsigned int nr, u32 *slots)
{
	return netext_app_register_maps(owner, name, progs, nr, slots, NULL, 0);
}
EXPORT_SYMBOL_GPL(netext_app_register);

static u32 netext_next_handle(u32 s)
{
	u32 gen = (netext_slot_gen[s] + 1) & (U32_MAX >> NETEXT_SLOT_BITS);

	lockdep_assert_held(&netext_lock);
	netext_slot_gen[s] = gen ? gen : 1;
	return s | netext_slot_gen[s] << NETEXT_SLOT_BITS;
}

struct netext_app *netext_app_register_maps(struct module *owner, const char *name,
					    const struct netext_prog_desc *progs,
					    unsigned int nr, u32 *slots,
					    struct netext_map_desc *const *maps,
					    unsigned int nr_maps)
{
	struct netext_app *app;
	unsigned int i, n, s;
	int err;

	BUILD_BUG_ON(NETEXT_MAX_SLOTS != 1U << NETEXT_SLOT_BITS);
	if (!name || !*name || strlen(name) >= NETEXT_NAME_LEN || !progs || !nr ||
	    nr > NETEXT_MAX_SLOTS || (nr_maps && !maps))
		return ERR_PTR(-EINVAL);
	for (i = 0; i < nr_maps; i++)
		if (!netext_map_desc_ok(maps, i))
			return ERR_PTR(-EINVAL);
	for (i = 0; i < nr; i++) {
		const struct netext_prog_desc *d = &progs[i];

		if (!d->name || !*d->name || strlen(d->name) >= NETEXT_NAME_LEN ||
		    !d->entry || (d->hook != NETEXT_HOOK_XDP && d->hook != NETEXT_HOOK_TC))
			return ERR_PTR(-EINVAL);
		/* a fault verdict needs no state: never a redirect (to a stale target) */
		if ((d->flags & NETEXT_PROG_F_FAULT_VERDICT) &&
		    !netext_fault_verdict_ok(d->hook, d->fault_verdict)) {
			pr_warn("app %s, program %s: fault verdict %d refused (XDP: ABORTED, DROP, PASS, TX; tc: UNSPEC, OK, SHOT)\n",
				name, d->name, d->fault_verdict);
			return ERR_PTR(-EINVAL);
		}
	}

	app = kzalloc(struct_size(app, progs, nr), GFP_KERNEL);
	if (!app)
		return ERR_PTR(-ENOMEM);
	app->owner = owner;
	app->nr = nr;
	app->maps = maps;
	app->nr_maps = nr_maps;
	app->unbound = nr_maps;
	strscpy(app->name, name, sizeof(app->name));
	ratelimit_state_init(&app->rs, 5 * HZ, 10);
	ratelimit_set_flags(&app->rs, RATELIMIT_MSG_ON_RELEASE);
	app->faults = alloc_percpu(u64);
	err = -ENOMEM;
	if (!app->faults)
		goto err_free;
	for (i = 0; i < nr; i++) {
		struct netext_prog *p = &app->progs[i];

		p->app = app;
		p->entry = progs[i].entry;
		p->hook = progs[i].hook;
		p->fault_verdict = progs[i].flags & NETEXT_PROG_F_FAULT_VERDICT ?
				   progs[i].fault_verdict : netext_default_verdict(p->hook);
		strscpy(p->name, progs[i].name, sizeof(p->name));
		p->stats = alloc_percpu(struct netext_stats);
		if (!p->stats)
			goto err_free;
	}

	mutex_lock(&netext_lock);
	err = -EEXIST;
	if (netext_find_app(name))
		goto err_unlock;
	/* all slots or none */
	for (s = 0, n = 0; s < NETEXT_MAX_SLOTS && n < nr; s++)
		if (!rcu_access_pointer(netext_slots[s]))
			app->progs[n++].slot = s;
	err = -ENOSPC;
	if (n < nr)
		goto err_unlock;
	for (i = 0; i < nr; i++) {
		app->progs[i].handle = netext_next_handle(app->progs[i].slot);
		rcu_assign_pointer(netext_slots[app->progs[i].slot], &app->progs[i]);
		if (slots)
			slots[i] = app->progs[i].handle;
	}
	list_add_tail(&app->node, &netext_apps);
	mutex_unlock(&netext_lock);
	pr_info("app %s registered %u program(s), %u map(s)\n", app->name, nr, nr_maps);
	return app;

err_unlock:
	mutex_unlock(&netext_lock);
err_free:
	netext_app_free(app);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(netext_app_register_maps);

static void netext_app_unlink(struct netext_app *app)
{
	unsigned int i;

	lockdep_assert_held(&netext_lock);
	for (i = 0; i < app->nr; i++)
		RCU_INIT_POINTER(netext_slots[app->progs[i].slot], NULL);
	list_del(&app->node);
}

void netext_app_unregister(struct netext_app *app)
{
	if (IS_ERR_OR_NULL(app))
		return;
	mutex_lock(&netext_lock);
	netext_app_unlink(app);
	mutex_unlock(&netext_lock);
	/* invocations hold rcu_read_lock() from slot lookup to return */
	synchronize_rcu();
	netext_app_put_maps(app);
	pr_info("app %s unregistered\n", app->name);
	netext_app_free(app);
}
EXPORT_SYMBOL_GPL(netext_app_unregister);

/* An app module that forgot to unregister must not leave slots to freed code. */
static int netext_module_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct module *mod = data;
	struct netext_app *app, *tmp;
	LIST_HEAD(gone);

	if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&netext_lock);
	list_for_each_entry_safe(app, tmp, &netext_apps, node) {
		if (app->owner != mod)
			continue;
		netext_app_unlink(app);
		list_add_tail(&app->node, &gone);
	}
	mutex_unlock(&netext_lock);
	if (list_empty(&gone))
		return NOTIFY_DONE;
	synchronize_rcu();
	list_for_each_entry_safe(app, tmp, &gone, node) {
		pr_err("app %s: module %s went away without unregistering\n",
		       app->name, mod->name);
		netext_app_put_maps(app);
		netext_app_free(app);
	}
	return NOTIFY_DONE;
}

static struct notifier_block netext_module_nb = {
	.notifier_call = netext_module_notify,
};

int netext_registry_init(void)
{
	return register_module_notifier(&netext_module_nb);
}

void netext_registry_exit(void)
{
	unregister_module_notifier(&netext_module_nb);
}

static struct netext_map_desc *netext_find_map(const struct netext_map_bind *b)
{
	struct netext_app *app = netext_find_app(b->app);
	unsigned int i;

	lockdep_assert_held(&netext_lock);
	if (!app)
		return NULL;
	for (i = 0; i < app->nr_maps; i++)
		if (!strcmp(app->maps[i]->name, b->map))
			return app->maps[i];
	return NULL;
}

/*
 * The BPF map must be what the app's code was compiled against: the app reads and
 * writes values of its declared size, so a smaller map would be overrun. Each
 * difference is named in the kernel log; the ioctl fails with EINVAL.
 */
static bool netext_map_matches(const struct netext_map_bind *b, const struct netext_map_desc *d,
			       const struct bpf_map *map)
{
	static const char fix[] = "bind the map created from the app's own eBPF object";
	bool ok = true;

#define NETEXT_MAP_FIELD(field, dfield, what)                                                \
	do {                                                                                 \
		if (map->field != d->dfield) {                                               \
			pr_warn("app %s, map %s: bind refused: the BPF map's " what " is %u, " \
				"the app declares %u: %s\n",                                 \
				b->app, b->map, (u32)map->field, (u32)d->dfield, fix);       \
			ok = false;                                                          \
		}                                                                            \
	} while (0)
	NETEXT_MAP_FIELD(map_type, type, "type");
	NETEXT_MAP_FIELD(key_size, key_size, "key_size");
	NETEXT_MAP_FIELD(value_size, value_size, "value_size");
	NETEXT_MAP_FIELD(max_entries, max_entries, "max_entries");
	NETEXT_MAP_FIELD(map_flags, flags, "flags");
#undef NETEXT_MAP_FIELD
	return ok;
}

int netext_map_bind(const struct netext_map_bind *b)
{
	struct netext_map_desc *d;
	struct bpf_map *map;
	int err = 0;

	map = bpf_map_get(b->fd);
	if (IS_ERR(map))
		return PTR_ERR(map);
	mutex_lock(&netext_lock);
	d = netext_find_map(b);
	if (!d)
		err = -ENOENT;
	else if (d->map)
		err = -EBUSY;
	else if (!netext_map_matches(b, d, map))
		err = -EINVAL;
	if (!err) {
		/* the reference from bpf_map_get is the app's now */
		WRITE_ONCE(d->map, map);
		netext_find_app(b->app)->unbound--;
	}
	mutex_unlock(&netext_lock);
	if (err)
		bpf_map_put(map);
	return err;
}

int netext_map_unbind(const struct netext_map_bind *b)
{
	struct netext_map_desc *d;
	struct bpf_map *map = NULL;

	mutex_lock(&netext_lock);
	d = netext_find_map(b);
	if (d && d->map) {
		map = d->map;
		WRITE_ONCE(d->map, NULL);
		netext_find_app(b->app)->unbound++;
	}
	mutex_unlock(&netext_lock);
	if (!map)
		return -ENOENT;
	/* invocations that may still use the map hold rcu_read_lock() */
	synchronize_rcu();
	bpf_map_put(map);
	return 0;
}
