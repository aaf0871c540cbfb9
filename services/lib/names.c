// SPDX-License-Identifier: BSD-2-Clause
// Names of the uapi's status codes and object types, for messages. Pure C:
// also built into the host unit test, which checks that every value the
// uapi headers define has a name here.
#include <cv/runtime.h>

static const char *const status_names[CV_STATUS_COUNT] = {
	[CV_OK] = "CV_OK",
	[CV_E_BAD_SYSCALL] = "CV_E_BAD_SYSCALL",
	[CV_E_BAD_SLOT] = "CV_E_BAD_SLOT",
	[CV_E_EMPTY_SLOT] = "CV_E_EMPTY_SLOT",
	[CV_E_SLOT_IN_USE] = "CV_E_SLOT_IN_USE",
	[CV_E_BAD_TYPE] = "CV_E_BAD_TYPE",
	[CV_E_NO_RIGHTS] = "CV_E_NO_RIGHTS",
	[CV_E_BAD_ARG] = "CV_E_BAD_ARG",
	[CV_E_NO_MEMORY] = "CV_E_NO_MEMORY",
	[CV_E_BAD_ADDRESS] = "CV_E_BAD_ADDRESS",
	[CV_E_TIMEOUT] = "CV_E_TIMEOUT",
	[CV_E_WOULD_BLOCK] = "CV_E_WOULD_BLOCK",
	[CV_E_DEAD] = "CV_E_DEAD",
	[CV_E_BUSY] = "CV_E_BUSY",
	[CV_E_PREEMPTED] = "CV_E_PREEMPTED",
};

static const char *const type_names[CV_OBJ_TYPE_COUNT] = {
	[CV_OBJ_NONE] = "none",
	[CV_OBJ_QUOTA] = "quota",
	[CV_OBJ_TASK] = "task",
	[CV_OBJ_THREAD] = "thread",
	[CV_OBJ_ENDPOINT] = "endpoint",
	[CV_OBJ_NOTIFICATION] = "notification",
	[CV_OBJ_FRAME] = "frame",
	[CV_OBJ_IRQ] = "irq",
	[CV_OBJ_DEVICE] = "device",
	[CV_OBJ_VM] = "vm",
	[CV_OBJ_VCPU] = "vcpu",
};

const char *cv_strerror(enum cv_status st)
{
	if ((unsigned int)st < CV_STATUS_COUNT && status_names[st])
		return status_names[st];
	return "CV_E_UNKNOWN";
}

const char *cv_obj_type_name(enum cv_obj_type type)
{
	if ((unsigned int)type < CV_OBJ_TYPE_COUNT && type_names[type])
		return type_names[type];
	return "unknown";
}
