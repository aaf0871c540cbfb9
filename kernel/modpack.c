// SPDX-License-Identifier: BSD-2-Clause
#include "modpack.h"

#include <boot/modpack.h>
#include <string.h>

const char *modpack_split(struct boot_info *bi, const void *pack, uint64_t pack_pa, uint64_t size)
{
	struct modpack_header h;
	struct boot_module out[BOOT_MODULES_MAX];

	if (size < sizeof(h))
		return NULL;
	memcpy(&h, pack, sizeof(h));
	if (memcmp(h.magic, MODPACK_MAGIC, sizeof(h.magic)))
		return NULL;
	if (h.reserved != 0)
		return "module pack: reserved header field is not zero";
	if (h.count == 0 || h.count > BOOT_MODULES_MAX)
		return "module pack: bad module count";
	if (sizeof(h) + (uint64_t)h.count * sizeof(struct modpack_entry) > size)
		return "module pack: truncated entry table";
	for (uint32_t i = 0; i < h.count; i++) {
		struct modpack_entry e;
		memcpy(&e, (const uint8_t *)pack + sizeof(h) + i * sizeof(e), sizeof(e));
		if (!memchr(e.name, '\0', sizeof(e.name)) || e.name[0] == '\0')
			return "module pack: a module name is empty or not terminated";
		if (e.offset % MODPACK_ALIGN || e.offset > size || e.size > size - e.offset)
			return "module pack: a module lies outside the pack or is misaligned";
		memcpy(out[i].name, e.name, sizeof(out[i].name));
		out[i].base = pack_pa + e.offset;
		out[i].size = e.size;
	}
	memcpy(bi->modules, out, h.count * sizeof(out[0]));
	bi->module_count = h.count;
	return NULL;
}
