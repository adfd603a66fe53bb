/*
 * replay — run a libFuzzer target over saved inputs without libFuzzer, so
 * the ordinary test suite (and its sanitizer build) rechecks the corpus
 * with whatever compiler it uses.
 *
 *   replay DIR|FILE...
 *
 * Every regular file in each DIR (not recursing) and every FILE is one
 * input. Exits non-zero when an argument cannot be read or nothing ran:
 * an empty corpus almost certainly means a wrong path, not a pass.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whole file into a fresh allocation of exactly its size, so an over-read
 * by the target is caught by ASan as it would be under libFuzzer. */
static int
run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *data = NULL, *grown;
	size_t len = 0, cap = 0, n;

	if (!fp) {
		perror(path);
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			grown = realloc(data, cap);
			if (!grown)
				abort();
			data = grown;
		}
		n = fread(data + len, 1, cap - len, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp)) {
		perror(path);
		fclose(fp);
		free(data);
		return -1;
	}
	fclose(fp);
	grown = realloc(data, len ? len : 1);
	if (!grown)
		abort();
	LLVMFuzzerTestOneInput(grown, len);
	free(grown);
	return 0;
}

static int
run_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		perror(dir);
		return -1;
	}
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >=
		    (int)sizeof path)
			continue;
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (run_file(path) < 0)
			rc = -1;
		else
			(*count)++;
	}
	closedir(d);
	return rc;
}

static int
run_arg(const char *arg, size_t *count)
{
	struct stat st;

	if (stat(arg, &st) < 0) {
		perror(arg);
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return run_dir(arg, count);
	if (run_file(arg) < 0)
		return -1;
	(*count)++;
	return 0;
}

int
main(int argc, char **argv)
{
	size_t count = 0;
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (run_arg(argv[i], &count) < 0)
			rc = 1;
	printf("replay: %zu inputs ran\n", count);
	if (count == 0)
		rc = 1;
	return rc;
}
