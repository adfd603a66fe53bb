/*
 * payload — the files the throughput scenarios play with `cat`, made once
 * per run of the benchmark, deterministically (the same bytes every time).
 */
#ifndef BENCH_PAYLOAD_H
#define BENCH_PAYLOAD_H

#include <stddef.h>

enum payload_kind {
	PAYLOAD_COLOUR,  /* 256-colour and 24-bit SGR every few cells */
	PAYLOAD_UNICODE, /* wide (CJK) and combining characters */
	PAYLOAD_CURSOR,  /* full-screen redraws by cursor movement */
	PAYLOAD_COUNT,
};

const char *payload_name(enum payload_kind k);
/* Write about `bytes` of the payload to path; 0 or -1 (errno set). */
int payload_write(enum payload_kind k, const char *path, size_t bytes);

#endif
