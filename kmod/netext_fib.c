// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_fib_lookup for native XDP programs. netext_xdp_fib_lookup is a runtime
 * helper that can fault (called from a tc program): untraceable like those of
 * netext_helpers.c (built without the ftrace hook, on the kprobe blacklist).
 */
#define pr_fmt(fmt) "netext: " fmt

#include <linux/filter.h>
#include <linux/inetdevice.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/addrconf.h>
#include <net/arp.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/ip_fib.h>
#include <net/ipv6_stubs.h>
#include <net/lwtunnel.h>
#include <net/ndisc.h>
#include <net/neighbour.h>
#include <net/route.h>

#include "netext_internal.h"

/*
 * FIB lookups with the semantics of bpf_fib_lookup() (flags 0, the MTU checked
 * as for XDP) in Linux 6.1, net/core/filter.c, written against what the kernel
 * exports to modules. Runs under the dispatcher's rcu_read_lock with bottom
 * halves off, as the BPF helper does: the _noref lookups are safe.
 */
static int netext_fib_done(struct netext_fib *p, struct net_device *dev,
			   struct neighbour *neigh)
{
	if (!neigh || !(READ_ONCE(neigh->nud_state) & NUD_VALID))
		return BPF_FIB_LKUP_RET_NO_NEIGH;
	memcpy(p->dmac, neigh->ha, ETH_ALEN);
	memcpy(p->smac, dev->dev_addr, ETH_ALEN);
	return BPF_FIB_LKUP_RET_SUCCESS;
}

/* ip_mtu_from_fib_result() without the path-MTU exceptions (route.c keeps them private) */
static u32 netext_fib4_mtu(struct net *net, const struct fib_result *res)
{
	struct fib_nh_common *nhc = res->nhc;
	struct fib_info *fi = res->fi;
	u32 mtu = 0;

	if (READ_ONCE(net->ipv4.sysctl_ip_fwd_use_pmtu) ||
	    fi->fib_metrics->metrics[RTAX_LOCK - 1] & (1 << RTAX_MTU))
		mtu = fi->fib_mtu;
	if (!mtu)
		mtu = min_t(u32, READ_ONCE(nhc->nhc_dev->mtu), IP_MAX_MTU);
	return mtu - lwtunnel_headroom(nhc->nhc_lwtstate, mtu);
}

static int netext_fib4(struct net *net, struct netext_fib *p)
{
	struct fib_nh_common *nhc;
	struct in_device *in_dev;
	struct neighbour *neigh;
	struct net_device *dev;
	struct fib_result res;
	struct flowi4 fl4;
	u32 mtu;
	int err;

	dev = dev_get_by_index_rcu(net, p->ifindex);
	if (unlikely(!dev))
		return -ENODEV;
	in_dev = __in_dev_get_rcu(dev);
	if (unlikely(!in_dev || !IN_DEV_FORWARD(in_dev)))
		return BPF_FIB_LKUP_RET_FWD_DISABLED;

	memset(&fl4, 0, sizeof(fl4));
	fl4.flowi4_iif = p->ifindex;
	fl4.flowi4_scope = RT_SCOPE_UNIVERSE;
	fl4.daddr = p->dst[0];
	fl4.saddr = p->src[0];
	fl4.flowi4_uid = sock_net_uid(net, NULL);
	err = fib_lookup(net, &fl4, &res, FIB_LOOKUP_NOREF);
	if (err) {
		switch (err) {
		case -EINVAL:
			return BPF_FIB_LKUP_RET_BLACKHOLE;
		case -EHOSTUNREACH:
			return BPF_FIB_LKUP_RET_UNREACHABLE;
		case -EACCES:
			return BPF_FIB_LKUP_RET_PROHIBIT;
		default:
			return BPF_FIB_LKUP_RET_NOT_FWDED;
		}
	}
	if (res.type != RTN_UNICAST || !res.fi || !res.nhc)
		return BPF_FIB_LKUP_RET_NOT_FWDED;
	/* fib_select_path() and the multipath hash are not exported: the stack forwards */
	if (fib_info_num_path(res.fi) > 1)
		return BPF_FIB_LKUP_RET_NOT_FWDED;
	mtu = netext_fib4_mtu(net, &res);
	if (p->tot_len > mtu) {
		p->mtu_result = mtu;
		return BPF_FIB_LKUP_RET_FRAG_NEEDED;
	}
	nhc = res.nhc;
	if (nhc->nhc_lwtstate)
		return BPF_FIB_LKUP_RET_UNSUPP_LWT;
	dev = nhc->nhc_dev;
	p->ifindex = dev->ifindex;
	if (nhc->nhc_gw_family == AF_INET6) {
		if (!ipv6_stub->nd_tbl)
			return BPF_FIB_LKUP_RET_NOT_FWDED;
		p->family = AF_INET6;
		memcpy(p->dst, &nhc->nhc_gw.ipv6, sizeof(p->dst));
		neigh = __ipv6_neigh_lookup_noref_stub(dev, p->dst);
	} else {
		if (nhc->nhc_gw_family)
			p->dst[0] = nhc->nhc_gw.ipv4;
		neigh = __ipv4_neigh_lookup_noref(dev, (__force u32)p->dst[0]);
	}
	return netext_fib_done(p, dev, neigh);
}

static int netext_fib6(struct net *net, struct netext_fib *p)
{
	struct in6_addr *src = (struct in6_addr *)p->src;
	struct in6_addr *dst = (struct in6_addr *)p->dst;
	struct fib6_result res = {};
	struct neighbour *neigh;
	struct net_device *dev;
	struct inet6_dev *idev;
	struct flowi6 fl6;
	int oif, err;
	u32 mtu;

	BUILD_BUG_ON(sizeof(p->src) != sizeof(struct in6_addr));
	/* link-local (and multicast) addresses are never forwarded */
	if (rt6_need_strict(dst) || rt6_need_strict(src))
		return BPF_FIB_LKUP_RET_NOT_FWDED;
	dev = dev_get_by_index_rcu(net, p->ifindex);
	if (unlikely(!dev))
		return -ENODEV;
	/* IPv6 off (ipv6.disable=1): the stub has no tables */
	if (unlikely(!ipv6_stub->nd_tbl))
		return -EAFNOSUPPORT;
	idev = __in6_dev_get_safely(dev);
	if (unlikely(!idev || !READ_ONCE(idev->cnf.forwarding)))
		return BPF_FIB_LKUP_RET_FWD_DISABLED;

	memset(&fl6, 0, sizeof(fl6));
	oif = p->ifindex;
	fl6.flowi6_iif = p->ifindex;
	fl6.daddr = *dst;
	fl6.saddr = *src;
	fl6.flowi6_uid = sock_net_uid(net, NULL);
	err = ipv6_stub->fib6_lookup(net, oif, &fl6, &res, RT6_LOOKUP_F_HAS_SADDR);
	if (unlikely(err || IS_ERR_OR_NULL(res.f6i) || res.f6i == net->ipv6.fib6_null_entry))
		return BPF_FIB_LKUP_RET_NOT_FWDED;
	switch (res.fib6_type) {
	case RTN_UNICAST:
		break;
	case RTN_BLACKHOLE:
		return BPF_FIB_LKUP_RET_BLACKHOLE;
	case RTN_UNREACHABLE:
		return BPF_FIB_LKUP_RET_UNREACHABLE;
	case RTN_PROHIBIT:
		return BPF_FIB_LKUP_RET_PROHIBIT;
	default:
		return BPF_FIB_LKUP_RET_NOT_FWDED;
	}
	ipv6_stub->fib6_select_path(net, &res, &fl6, 0, false, NULL, RT6_LOOKUP_F_HAS_SADDR);
	if (unlikely(!res.nh))
		return BPF_FIB_LKUP_RET_NOT_FWDED;
	mtu = ipv6_stub->ip6_mtu_from_fib6(&res, dst, src);
	if (p->tot_len > mtu) {
		p->mtu_result = mtu;
		return BPF_FIB_LKUP_RET_FRAG_NEEDED;
	}
	if (res.nh->fib_nh_lws)
		return BPF_FIB_LKUP_RET_UNSUPP_LWT;
	if (res.nh->fib_nh_gw_family)
		*dst = res.nh->fib_nh_gw6;
	dev = res.nh->fib_nh_dev;
	p->ifindex = dev->ifindex;
	neigh = __ipv6_neigh_lookup_noref_stub(dev, dst);
	return netext_fib_done(p, dev, neigh);
}

int netext_xdp_fib_lookup(const struct netext_ctx *nc, struct netext_fib *p)
{
	struct xdp_buff *xdp = netext_xdp_buff(nc);
	struct net *net;

	/* as the BPF helper: the namespace of the device the frame arrived on */
	if (unlikely(!xdp->rxq || !xdp->rxq->dev))
		return -ENODEV;
	net = dev_net(xdp->rxq->dev);
	switch (p->family) {
	case AF_INET:
		return netext_fib4(net, p);
#if IS_ENABLED(CONFIG_IPV6)
	case AF_INET6:
		return netext_fib6(net, p);
#endif
	}
	return -EAFNOSUPPORT;
}
EXPORT_SYMBOL_GPL(netext_xdp_fib_lookup);
NOKPROBE_SYMBOL(netext_xdp_fib_lookup);
