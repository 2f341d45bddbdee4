/*
 * ka_roles: finding the columns a program needs by role (date, amount,
 * customer_id, ...) through built-in English and Chinese header aliases,
 * or by --col ROLE=NAME and --col ROLE=N.
 */
#ifndef KA_ROLES_H
#define KA_ROLES_H

#include <stddef.h>

#include "ka_reader.h"

enum ka_role {
	KA_ROLE_DATE,
	KA_ROLE_INVOICE,
	KA_ROLE_CUSTOMER_ID,
	KA_ROLE_CUSTOMER,
	KA_ROLE_REGION,
	KA_ROLE_CITY,
	KA_ROLE_COUNTRY,
	KA_ROLE_REP,
	KA_ROLE_OWNER,
	KA_ROLE_SKU,
	KA_ROLE_PRODUCT,
	KA_ROLE_CATEGORY,
	KA_ROLE_QTY,
	KA_ROLE_UNIT_PRICE,
	KA_ROLE_AMOUNT,
	KA_ROLE_COST,
	KA_ROLE_TIER,
	KA_ROLE_RANK,
	KA_ROLE_COUNT
};

struct ka_roles {
	long		 column[KA_ROLE_COUNT];	/* 0-based, -1 when absent */
	const char	*wanted[KA_ROLE_COUNT];	/* from --col, or NULL */
};

void		 ka_roles_init(struct ka_roles *roles);
/* Canonical name of a role ("customer_id"); the reverse, or -1. */
const char	*ka_role_name(enum ka_role role);
int		 ka_role_from_name(const char *name);
/* The aliases of a role, NULL-terminated, canonical name first. */
const char *const *ka_role_aliases(enum ka_role role);

/*
 * A header name or alias as names are compared: ASCII letters lowered;
 * spaces, tabs, '_', '-', '.' and '/' dropped ("Customer ID" and
 * "customer_id" both give "customerid").  Reads up to length bytes or a
 * NUL, writes at most size - 1 and a NUL to out; returns the length.
 */
size_t		 ka_roles_normalise(const char *in, size_t length, char *out,
		    size_t size);

/* --col ROLE=NAME or ROLE=N; 0 ok, -1 with a message in error. */
int		 ka_roles_override(struct ka_roles *roles, const char *spec,
		    char *error, size_t error_size);
/*
 * Finds every role's column in the header.  A --col naming a column
 * that is not there is an error (-1, message in error).
 */
int		 ka_roles_resolve(struct ka_roles *roles,
		    const ka_record *header, char *error, size_t error_size);
/* The role a header name stands for, or -1. */
int		 ka_role_of_header(const char *name);
/*
 * Exits 2 when a required role has no column, naming the header seen
 * and the aliases tried.
 */
void		 ka_roles_require(const struct ka_roles *roles,
		    const ka_record *header, enum ka_role role);
/* A column named in a filter or option: header name, role name or N. */
long		 ka_column_of(const struct ka_roles *roles,
		    const ka_record *header, const char *name);

#endif
