// SPDX-License-Identifier: BSD-2-Clause
// Build-time check of every linked user program (mk/user.mk runs it after
// the link): the kernel's own ELF validation (lib/elf) accepts it, it is
// linked at 0x400000 and enters there, it fits below 2^39, and no
// segment is both writable and executable.
//
// usage: check_user_elf FILE...
#include <stdio.h>
#include <stdlib.h>

#include <elf/elf_check.h>

#define USER_BASE 0x400000ull
#define USER_VA_LIMIT (1ull << 39)

static int check(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long size;
	struct elf_load_plan plan;
	enum elf_check_status st;
	int bad = 0;

	if (!f) {
		perror(path);
		return 1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		fclose(f);
		return 1;
	}
	buf = malloc(size ? (size_t)size : 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "%s: cannot read\n", path);
		free(buf);
		fclose(f);
		return 1;
	}
	fclose(f);
	st = elf_check(buf, (size_t)size, ELF_MACHINE_AARCH64, USER_VA_LIMIT - USER_BASE, &plan);
	free(buf);
	if (st != ELF_CHECK_OK) {
		fprintf(stderr, "%s: not a loadable ELF executable: %s\n", path, elf_check_strerror(st));
		return 1;
	}
	if (plan.vaddr_base != USER_BASE || plan.entry_offset != 0) {
		fprintf(stderr, "%s: linked at 0x%llx, entry 0x%llx; user programs start at 0x%llx\n",
			path, (unsigned long long)plan.vaddr_base,
			(unsigned long long)(plan.vaddr_base + plan.entry_offset), USER_BASE);
		bad = 1;
	}
	if (plan.vaddr_base + plan.span > USER_VA_LIMIT) {
		fprintf(stderr, "%s: does not fit below 2^39\n", path);
		bad = 1;
	}
	for (unsigned i = 0; i < plan.segment_count; i++) {
		const struct elf_load_segment *s = &plan.segments[i];

		if ((s->flags & ELF_PF_W) && (s->flags & ELF_PF_X)) {
			fprintf(stderr, "%s: segment at 0x%llx is writable and executable\n", path,
				(unsigned long long)(plan.vaddr_base + s->image_offset));
			bad = 1;
		}
		if ((plan.vaddr_base + s->image_offset) % 4096) {
			fprintf(stderr, "%s: segment at 0x%llx is not page-aligned\n", path,
				(unsigned long long)(plan.vaddr_base + s->image_offset));
			bad = 1;
		}
	}
	return bad;
}

int main(int argc, char **argv)
{
	int bad = 0;

	for (int i = 1; i < argc; i++)
		bad |= check(argv[i]);
	return bad;
}
