/*
 * s390-cp: a test instrument that plays z/VM's CP for saved segments
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TARGET_S390X_CP_H
#define TARGET_S390X_CP_H

#include "cpu.h"

#define TYPE_S390_CP "s390-cp"

/* Is an s390-cp object there (the guest is told it runs on z/VM)? */
bool s390_cp_active(void);

/* DIAGNOSE X'08' and X'64': the condition code, or -1 (not handled). */
int s390_cp_diag(CPUS390XState *env, uint32_t r1, uint32_t r3,
                 uint32_t code, uintptr_t ra);

/* Does a store to this absolute address hit a read-only saved segment? */
bool s390_cp_write_protected(hwaddr abs);

#endif
