// SPDX-License-Identifier: BSD-2-Clause
// What each vmmctl error number means to someone managing VMs.
#include "vmctl.h"

const char *vmctl_strerror(int err)
{
	switch (err) {
	case VMMCTL_OK: return "success";
	case VMMCTL_EPERM: return "operation not permitted";
	case VMMCTL_ENOENT: return "no such virtual machine";
	case VMMCTL_EIO: return "the vmmctl service failed";
	case VMMCTL_ENXIO: return "the virtual machine was destroyed";
	case VMMCTL_EBADF: return "not a vmmctl session or VM handle";
	case VMMCTL_ENOMEM: return "quota of virtual machines or memory exhausted";
	case VMMCTL_EACCES: return "permission denied";
	case VMMCTL_EFAULT: return "bad request";
	case VMMCTL_EBUSY: return "virtual machine busy";
	case VMMCTL_EEXIST: return "a virtual machine of that name exists";
	case VMMCTL_EINVAL: return "invalid argument";
	case VMMCTL_ENOSPC: return "no room for another virtual machine";
	case VMMCTL_EOPNOTSUPP: return "operation not supported";
	case VMMCTL_ENAMETOOLONG: return "name too long";
	case VMMCTL_ENOSYS: return "no such operation";
	default: return "unknown error";
	}
}
