// SPDX-License-Identifier: GPL-2.0
/* /dev/netext: ioctls for programs (the loader, tests), a table for people. */
#define pr_fmt(fmt) "netext: " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "netext_internal.h"

static u64 netext_sum(u64 __percpu *v)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(v, cpu);
	return sum;
}

static void netext_prog_fill(struct netext_prog *p, struct netext_prog_info *info)
{
	int cpu;

	info->slot = p->handle;
	info->hook = p->hook;
	info->fault_verdict = p->fault_verdict;
	info->last_fault_reason = READ_ONCE(p->last_fault_reason);
	info->invocations = 0;
	info->faults = 0;
	for_each_possible_cpu(cpu) {
		struct netext_stats *s = per_cpu_ptr(p->stats, cpu);

		info->invocations += READ_ONCE(s->invocations);
		info->faults += READ_ONCE(s->faults);
	}
	info->app_faults = netext_sum(p->app->faults);
	strscpy(info->app, p->app->name, sizeof(info->app));
	strscpy(info->name, p->name, sizeof(info->name));
}

static long netext_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case NETEXT_IOC_PROG_INFO: {
		struct netext_prog_info info;
		struct netext_prog *p;
		u32 in;

		if (copy_from_user(&info, uarg, sizeof(info)))
			return -EFAULT;
		in = info.slot;
		mutex_lock(&netext_lock);
		p = rcu_dereference_protected(netext_slots[in & NETEXT_SLOT_MASK],
					      lockdep_is_held(&netext_lock));
		/* a slot's index, or a handle of the program in it now */
		if (p && in >= NETEXT_MAX_SLOTS && in != p->handle)
			p = NULL;
		if (p)
			netext_prog_fill(p, &info);
		mutex_unlock(&netext_lock);
		if (!p)
			return -ENOENT;
		return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
	}
	case NETEXT_IOC_GLOBAL_INFO: {
		struct netext_global_info info = {
			.max_slots = NETEXT_MAX_SLOTS,
			.stack_size = NETEXT_STACK_SIZE,
			.empty_slot = netext_sum(&netext_empty_slot),
			.wrong_hook = netext_sum(&netext_wrong_hook),
			.nested = netext_sum(&netext_nested),
			.stale_slot = netext_sum(&netext_stale_slot),
			.stack_reserve = NETEXT_STACK_RESERVE,
			.stack_used_max = netext_stack_low_water(),
		};
		struct netext_app *app;

		mutex_lock(&netext_lock);
		list_for_each_entry(app, &netext_apps, node) {
			info.apps++;
			info.progs += app->nr;
		}
		mutex_unlock(&netext_lock);
		return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
	}
	case NETEXT_IOC_MAP_BIND:
	case NETEXT_IOC_MAP_UNBIND: {
		struct netext_map_bind b;

		if (copy_from_user(&b, uarg, sizeof(b)))
			return -EFAULT;
		b.app[sizeof(b.app) - 1] = '\0';
		b.map[sizeof(b.map) - 1] = '\0';
		return cmd == NETEXT_IOC_MAP_BIND ? netext_map_bind(&b) : netext_map_unbind(&b);
	}
	}
	return -ENOTTY;
}

static int netext_show(struct seq_file *m, void *v)
{
	struct netext_app *app;
	unsigned int i;

	seq_puts(m, "slot app prog hook invocations faults last_fault\n");
	mutex_lock(&netext_lock);
	list_for_each_entry(app, &netext_apps, node) {
		for (i = 0; i < app->nr; i++) {
			struct netext_prog_info info;

			netext_prog_fill(&app->progs[i], &info);
			seq_printf(m, "%u %s %s %s %llu %llu %s\n", app->progs[i].slot,
				   info.app, info.name,
				   info.hook == NETEXT_HOOK_XDP ? "xdp" : "tc",
				   info.invocations, info.faults,
				   netext_reason_names[info.last_fault_reason]);
		}
	}
	mutex_unlock(&netext_lock);
	return 0;
}

static int netext_open(struct inode *inode, struct file *file)
{
	/* misc_open left the miscdevice here; seq_file wants the field */
	file->private_data = NULL;
	return single_open(file, netext_show, NULL);
}

static const struct file_operations netext_fops = {
	.owner = THIS_MODULE,
	.open = netext_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.unlocked_ioctl = netext_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice netext_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "netext",
	.fops = &netext_fops,
	.mode = 0600,
};

int netext_dev_init(void)
{
	return misc_register(&netext_misc);
}

void netext_dev_exit(void)
{
	misc_deregister(&netext_misc);
}
