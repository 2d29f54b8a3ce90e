/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DCSSCTL_ERRORS_H
#define DCSSCTL_ERRORS_H

#include <stdbool.h>
#include <stddef.h>

#include "names.h"

enum dcss_op {
	OP_ADD,		/* write to add; @what is the name list */
	OP_REMOVE,	/* write to remove; @what is the device name */
	OP_SHARED,	/* write 1 to <NAME>/shared */
	OP_EXCLUSIVE,	/* write 0 to <NAME>/shared */
	OP_SAVE,	/* write 1 to <NAME>/save */
	OP_CANCEL,	/* write 0 to <NAME>/save */
	OP_MODULE,	/* loading the dcssdax module */
	OP_FSDAX,	/* write fsdax to <NAME>/mode */
	OP_DEVDAX,	/* write devdax to <NAME>/mode */
};

void dcss_explain(enum dcss_op op, const char *what, int err, char *buf,
		  size_t len);
const char *devdax_refusal(int err, bool adding);
void no_device(const char *name, char *buf, size_t len);
void kmsg_mark(void);

#endif
