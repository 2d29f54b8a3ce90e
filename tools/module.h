/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DCSSCTL_MODULE_H
#define DCSSCTL_MODULE_H

int module_ensure_loaded(void);

#endif
