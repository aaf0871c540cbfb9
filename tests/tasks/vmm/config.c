// SPDX-License-Identifier: BSD-2-Clause
#define _POSIX_C_SOURCE 200809L /* strtok_r */
// The test monitor's configuration: one line per VM,
//   vm NAME MODULE [vcpus=N] [cpu=C] [prio=P] [mem=MiB] [runs=R] [endless] [state] [stuck]
//                  [checkregs] [after=OTHER:WORD] [pass=DEVICE]
// after: start only once VM OTHER printed a line containing WORD (so a
// guest runs while another is known to be in some phase).
// pass: the VM gets the device (pl031) at its usual address, and its
// interrupt (passthrough.c).
// checkregs: after each of the VM's exits the monitor checks what it sees
// of the EL1 registers that govern EL0 (el0_view.c).
// '#' starts a comment.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm.h"

static bool number(const char *word, const char *key, unsigned *out)
{
	size_t n = strlen(key);
	char *end;

	if (strncmp(word, key, n) != 0 || word[n] != '=')
		return false;
	unsigned long v = strtoul(word + n + 1, &end, 0);
	if (*end || end == word + n + 1 || v > 1000000)
		return false;
	*out = (unsigned)v;
	return true;
}

static int parse_line(char *line, unsigned lineno, struct vm_config *c)
{
	char *save, *w = strtok_r(line, " \t", &save);

	if (!w || w[0] == '#')
		return 0;
	if (strcmp(w, "vm") != 0) {
		printf("vmm: config line %u: unknown word '%s'\n", lineno, w);
		return -1;
	}
	char *name = strtok_r(NULL, " \t", &save), *module = strtok_r(NULL, " \t", &save);
	if (!name || !module || strlen(name) >= sizeof(c->name) || strlen(module) >= sizeof(c->module)) {
		printf("vmm: config line %u: want 'vm NAME MODULE ...'\n", lineno);
		return -1;
	}
	memset(c, 0, sizeof(*c));
	strcpy(c->name, name);
	strcpy(c->module, module);
	c->vcpus = 1;
	c->cpu = 1;
	c->priority = 10;
	c->mem_mib = 32;
	c->runs = 1;
	while ((w = strtok_r(NULL, " \t", &save))) {
		char *colon = strchr(w, ':');
		if (strcmp(w, "endless") == 0) {
			c->endless = true;
		} else if (strcmp(w, "state") == 0) {
			c->state = true;
		} else if (strcmp(w, "stuck") == 0) {
			c->stuck = true;
		} else if (strcmp(w, "checkregs") == 0) {
			c->checkregs = true;
		} else if (strncmp(w, "after=", 6) == 0 && colon && colon - (w + 6) > 0 &&
			   (size_t)(colon - (w + 6)) < sizeof(c->after) && strlen(colon + 1) > 0 &&
			   strlen(colon + 1) < sizeof(c->after_word)) {
			memcpy(c->after, w + 6, (size_t)(colon - (w + 6)));
			strcpy(c->after_word, colon + 1);
		} else if (strncmp(w, "pass=", 5) == 0 && (c->pass = vmm_passthrough_lookup(w + 5))) {
			/* looked up */
		} else if (!number(w, "vcpus", &c->vcpus) && !number(w, "cpu", &c->cpu) &&
			 !number(w, "prio", &c->priority) && !number(w, "mem", &c->mem_mib) &&
			 !number(w, "runs", &c->runs)) {
			printf("vmm: config line %u: bad option '%s'\n", lineno, w);
			return -1;
		}
	}
	if (c->vcpus == 0 || c->vcpus > CV_VM_VCPUS_MAX || c->mem_mib < 1 || c->mem_mib > 256 || c->runs == 0) {
		printf("vmm: config line %u: vcpus 1..%u, mem 1..256 MiB, runs >= 1\n", lineno, CV_VM_VCPUS_MAX);
		return -1;
	}
	return 1;
}

int vmm_parse_config(const char *text, uint64_t len, struct vm_config *out, unsigned max)
{
	char line[256];
	unsigned count = 0, lineno = 0;
	uint64_t i = 0;

	while (i < len) {
		uint64_t start = i;
		while (i < len && text[i] != '\n')
			i++;
		size_t n = (size_t)(i - start);
		i++;
		lineno++;
		if (n >= sizeof(line)) {
			printf("vmm: config line %u: too long\n", lineno);
			return -1;
		}
		memcpy(line, text + start, n);
		line[n] = 0;
		struct vm_config c;
		int r = parse_line(line, lineno, &c);
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		if (count == max) {
			printf("vmm: config: more than %u VMs\n", max);
			return -1;
		}
		out[count++] = c;
	}
	return (int)count;
}
