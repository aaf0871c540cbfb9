// SPDX-License-Identifier: BSD-2-Clause
// Reads and parses \capvisor\boot.cfg from the volume loader_find_manifest
// chose; parse errors name the line.
#include "loader.h"

EFI_STATUS loader_read_manifest(struct loader *ld)
{
	EFI_FILE_HANDLE file;
	enum manifest_status parsed;
	unsigned line;
	UINT64 size;
	char *buf;
	EFI_STATUS status;

	status = loader_file_open(ld->root, LOADER_MANIFEST_PATH, &file, &size);
	if (EFI_ERROR(status)) {
		loader_print(L"cannot open %a: %r\n", LOADER_MANIFEST_PATH, status);
		return status;
	}
	if (size > LOADER_MANIFEST_MAX) {
		loader_print(L"%a is %ld bytes, more than the %d a manifest may have\n",
			     LOADER_MANIFEST_PATH, size, LOADER_MANIFEST_MAX);
		loader_file_close(file);
		return EFI_LOAD_ERROR;
	}
	/* One byte more so that an empty file is not a zero-byte allocation. */
	buf = AllocatePool(size + 1);
	if (buf == NULL) {
		loader_print(L"out of memory reading %a\n", LOADER_MANIFEST_PATH);
		loader_file_close(file);
		return EFI_OUT_OF_RESOURCES;
	}
	status = loader_file_read(file, buf, size);
	loader_file_close(file);
	if (EFI_ERROR(status)) {
		loader_print(L"cannot read %a: %r\n", LOADER_MANIFEST_PATH, status);
		FreePool(buf);
		return status;
	}
	parsed = manifest_parse(buf, size, &ld->manifest, &line);
	FreePool(buf);
	if (parsed == MANIFEST_ERR_NO_KERNEL) {
		loader_print(L"%a: %a\n", LOADER_MANIFEST_PATH, manifest_strerror(parsed));
		return EFI_LOAD_ERROR;
	}
	if (parsed != MANIFEST_OK) {
		loader_print(L"%a line %d: %a\n", LOADER_MANIFEST_PATH, line, manifest_strerror(parsed));
		return EFI_LOAD_ERROR;
	}
	return EFI_SUCCESS;
}
