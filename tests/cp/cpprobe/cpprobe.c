// SPDX-License-Identifier: GPL-2.0
/*
 * cpprobe - test module of tests/cp: one access to the guest-real
 * address addr= through the kernel's identity mapping (where extmem
 * maps a loaded DCSS), its fault caught.  A fetch, and with write=1
 * the same byte stored back.  The module loads when the access worked;
 * otherwise insmod fails with the access's error: EFAULT for a program
 * exception the kernel fixed up (protection, translation, addressing).
 */
#include <linux/module.h>
#include <linux/io.h>
#include <linux/uaccess.h>

static unsigned long addr;
module_param(addr, ulong, 0444);
MODULE_PARM_DESC(addr, "guest-real address to access");

static bool write;
module_param(write, bool, 0444);
MODULE_PARM_DESC(write, "store the byte read back to addr");

static int __init cpprobe_init(void)
{
	u8 *p = phys_to_virt(addr);
	int rc = 0;
	u8 v;

	__get_kernel_nofault(&v, p, u8, fault);
	if (write)
		__put_kernel_nofault(p, &v, u8, fault);
	goto out;
fault:
	rc = -EFAULT;
out:
	pr_info("%s at %#lx: %d\n", write ? "store" : "fetch", addr, rc);
	return rc;
}

static void __exit cpprobe_exit(void)
{
}

module_init(cpprobe_init);
module_exit(cpprobe_exit);
MODULE_DESCRIPTION("One guarded access to a guest-real address (dcssdax tests)");
MODULE_LICENSE("GPL");
