// SPDX-License-Identifier: BSD-2-Clause
// Files on the firmware's FAT volumes: finding the one with the manifest,
// opening and reading files by the ASCII paths the manifest gives.
#include "loader.h"

/* Manifest paths are printable ASCII (manifest.c checks), so widening is exact. */
static void path_to_ucs2(const char *path, CHAR16 out[MANIFEST_PATH_MAX])
{
	unsigned i = 0;

	for (; i < MANIFEST_PATH_MAX - 1 && path[i] != '\0'; i++)
		out[i] = (CHAR16)(unsigned char)path[i];
	out[i] = 0;
}

EFI_STATUS loader_file_open(EFI_FILE_HANDLE root, const char *path, EFI_FILE_HANDLE *file,
			    UINT64 *size)
{
	CHAR16 wide[MANIFEST_PATH_MAX];
	EFI_FILE_INFO *info;
	EFI_STATUS status;
	BOOLEAN is_dir;

	*file = NULL;
	*size = 0;
	path_to_ucs2(path, wide);
	status = root->Open(root, file, wide, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(status)) {
		*file = NULL;
		return status;
	}
	info = LibFileInfo(*file);
	if (info == NULL) {
		loader_file_close(*file);
		*file = NULL;
		return EFI_DEVICE_ERROR;
	}
	is_dir = (info->Attribute & EFI_FILE_DIRECTORY) != 0;
	*size = info->FileSize;
	FreePool(info);
	if (is_dir) {
		loader_file_close(*file);
		*file = NULL;
		return EFI_NOT_FOUND;
	}
	return EFI_SUCCESS;
}

/* Reads exactly size bytes; a file shorter than it said is an error. */
EFI_STATUS loader_file_read(EFI_FILE_HANDLE file, void *buf, UINT64 size)
{
	UINT8 *p = buf;

	while (size > 0) {
		UINTN chunk = size > (16u << 20) ? (16u << 20) : (UINTN)size;
		EFI_STATUS status = file->Read(file, &chunk, p);

		if (EFI_ERROR(status))
			return status;
		if (chunk == 0)
			return EFI_END_OF_FILE;
		p += chunk;
		size -= chunk;
	}
	return EFI_SUCCESS;
}

void loader_file_close(EFI_FILE_HANDLE file)
{
	if (file != NULL)
		file->Close(file);
}

/* Opens handle's volume and keeps it in ld->root if the manifest is there. */
static BOOLEAN try_volume(struct loader *ld, EFI_HANDLE handle, const CHAR16 *why)
{
	EFI_FILE_HANDLE root = LibOpenRoot(handle), file;
	CHAR16 *name;
	UINT64 size;

	if (root == NULL)
		return FALSE;
	if (EFI_ERROR(loader_file_open(root, LOADER_MANIFEST_PATH, &file, &size))) {
		loader_file_close(root);
		return FALSE;
	}
	loader_file_close(file);
	ld->root = root;
	name = DevicePathToStr(DevicePathFromHandle(handle));
	loader_print(L"manifest %a on %s (%s)\n", LOADER_MANIFEST_PATH,
		     name != NULL ? name : L"an unnamed volume", why);
	if (name != NULL)
		FreePool(name);
	return TRUE;
}

/* Tries every volume but the loader's own; TRUE once one has the manifest. */
static BOOLEAN try_other_volumes(struct loader *ld, EFI_HANDLE own)
{
	EFI_HANDLE *handles = NULL;
	UINTN count = 0;
	BOOLEAN found = FALSE;

	if (EFI_ERROR(LibLocateHandle(ByProtocol, &FileSystemProtocol, NULL, &count, &handles)))
		return FALSE;
	for (UINTN i = 0; i < count && !found; i++)
		if (handles[i] != own)
			found = try_volume(ld, handles[i], L"first volume that has it");
	FreePool(handles);
	return found;
}

/*
 * Firmware connects only the devices it needs to boot: an image started
 * early (QEMU -kernel is, before any boot option) may see no disk at all.
 */
static void connect_all_controllers(void)
{
	EFI_HANDLE *handles = NULL;
	UINTN count = 0;

	if (EFI_ERROR(LibLocateHandle(AllHandles, NULL, NULL, &count, &handles)))
		return;
	for (UINTN i = 0; i < count; i++)
		BS->ConnectController(handles[i], NULL, NULL, TRUE);
	FreePool(handles);
}

/*
 * The manifest lives next to the loader. A loader started some other way
 * (QEMU -kernel, an EFI shell, the network) has no such volume, or one
 * without the manifest, so then the first volume that has it wins.
 */
EFI_STATUS loader_find_manifest(struct loader *ld)
{
	EFI_LOADED_IMAGE *image = NULL;
	EFI_HANDLE own = NULL;
	EFI_STATUS status;

	status = BS->HandleProtocol(ld->image, &LoadedImageProtocol, (void **)&image);
	if (!EFI_ERROR(status) && image != NULL) {
		own = image->DeviceHandle;
		if (own != NULL && try_volume(ld, own, L"the loader's own volume"))
			return EFI_SUCCESS;
	}
	if (try_other_volumes(ld, own))
		return EFI_SUCCESS;
	connect_all_controllers();
	if (try_other_volumes(ld, own))
		return EFI_SUCCESS;
	loader_print(L"no %a on the loader's volume or on any other file system\n",
		     LOADER_MANIFEST_PATH);
	return EFI_NOT_FOUND;
}
