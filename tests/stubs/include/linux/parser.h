/* Stub of <linux/parser.h>. */
#ifndef _STUB_LINUX_PARSER_H
#define _STUB_LINUX_PARSER_H
typedef struct {
	char *from;
	char *to;
} substring_t;
char *match_strdup(const substring_t *s);
#endif
