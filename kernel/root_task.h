/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef KERNEL_ROOT_TASK_H
#define KERNEL_ROOT_TASK_H

struct boot_info;

/* Makes the root task from the boot module named "root" and starts its
 * first thread on CPU 0. Prints why when it cannot. */
void root_task_start(const struct boot_info *bi);

#endif
