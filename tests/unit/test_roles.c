/*
 * Unit tests of common/ka_roles.c: finding columns by role through the
 * built-in aliases, --col overrides and their errors, and the usage
 * error for a missing required role (checked in a child process, since
 * it exits).  Expected columns and messages are written out by hand.
 */
#define _POSIX_C_SOURCE 200809L
#include <sys/types.h>
#include <sys/wait.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ka_msg.h"
#include "ka_reader.h"
#include "ka_roles.h"

/* A header record built from strings, as the reader would give it. */
struct fake_record {
	ka_record	 rec;
	char		 text[16384];
	uint32_t	 offset[1024];
};

static const ka_record *
make_record(struct fake_record *f, const char *file, size_t n,
    const char *const *fields)
{
	size_t i, used = 0, length;

	for (i = 0; i < n; i++) {
		length = strlen(fields[i]);
		f->offset[i] = (uint32_t)used;
		memcpy(f->text + used, fields[i], length + 1);
		used += length + 1;
	}
	f->offset[n] = (uint32_t)used;
	f->rec.base = f->text;
	f->rec.offset = f->offset;
	f->rec.nfields = n;
	f->rec.file = file;
	f->rec.line = 1;
	f->rec.end_line = 1;
	f->rec.number = 0;
	return &f->rec;
}

#define HEADER(f, ...) make_record((f), "sales.csv", \
	sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *), \
	(const char *[]){ __VA_ARGS__ })

static int
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- a child process for the functions that exit ---- */

struct child {
	int	 exited;	/* 1 when it called exit */
	int	 status;	/* its exit status */
	char	 err[8192];	/* what it wrote to stderr */
};

static void
read_all(int fd, char *buf, size_t size)
{
	size_t used = 0;
	ssize_t n;

	while ((n = read(fd, buf + used, size - 1 - used)) > 0) {
		used += (size_t)n;
		if (used == size - 1)
			break;
	}
	buf[used] = '\0';
}

static void
run_child(void (*body)(void *), void *arg, struct child *c)
{
	int pipe_err[2], wstatus;
	pid_t pid;

	memset(c, 0, sizeof(*c));
	c->status = -1;
	fflush(stdout);
	fflush(stderr);
	if (pipe(pipe_err) < 0) {
		perror("pipe");
		return;
	}
	if ((pid = fork()) < 0) {
		perror("fork");
		return;
	}
	if (pid == 0) {
		dup2(pipe_err[1], STDERR_FILENO);
		close(pipe_err[0]);
		close(pipe_err[1]);
		body(arg);
		fflush(stderr);
		_exit(99);	/* returned instead of exiting */
	}
	close(pipe_err[1]);
	read_all(pipe_err[0], c->err, sizeof(c->err));
	close(pipe_err[0]);
	if (waitpid(pid, &wstatus, 0) == pid && WIFEXITED(wstatus)) {
		c->exited = 1;
		c->status = WEXITSTATUS(wstatus);
	}
}

/* ---- role names ---- */

/* Every role by hand: canonical name and a Chinese header for it. */
static const struct {
	enum ka_role	 role;
	const char	*name;
	const char	*chinese;
} roles_by_hand[] = {
	{ KA_ROLE_DATE,		"date",		"日期" },
	{ KA_ROLE_INVOICE,	"invoice",	"发票号" },
	{ KA_ROLE_CUSTOMER_ID,	"customer_id",	"客户编号" },
	{ KA_ROLE_CUSTOMER,	"customer",	"客户名称" },
	{ KA_ROLE_REGION,	"region",	"区域" },
	{ KA_ROLE_CITY,		"city",		"城市" },
	{ KA_ROLE_COUNTRY,	"country",	"国家" },
	{ KA_ROLE_REP,		"rep",		"业务员" },
	{ KA_ROLE_OWNER,	"owner",	"客户经理" },
	{ KA_ROLE_SKU,		"sku",		"商品编码" },
	{ KA_ROLE_PRODUCT,	"product",	"产品名称" },
	{ KA_ROLE_CATEGORY,	"category",	"品类" },
	{ KA_ROLE_QTY,		"qty",		"数量" },
	{ KA_ROLE_UNIT_PRICE,	"unit_price",	"单价" },
	{ KA_ROLE_AMOUNT,	"amount",	"金额" },
	{ KA_ROLE_COST,		"cost",		"成本" },
	{ KA_ROLE_TIER,		"tier",		"等级" },
	{ KA_ROLE_RANK,		"rank",		"排名" },
};
#define NROLES (sizeof(roles_by_hand) / sizeof(roles_by_hand[0]))

static void
test_role_names(void)
{
	size_t i;

	CHECK_INT(NROLES, KA_ROLE_COUNT);
	for (i = 0; i < NROLES; i++) {
		CHECK_STR(ka_role_name(roles_by_hand[i].role),
		    roles_by_hand[i].name);
		CHECK_INT(ka_role_from_name(roles_by_hand[i].name),
		    roles_by_hand[i].role);
		CHECK_STR(ka_role_aliases(roles_by_hand[i].role)[0],
		    roles_by_hand[i].name);
	}
	/* Role names are exact: aliases and other spellings are not. */
	CHECK_INT(ka_role_from_name("revenue"), -1);
	CHECK_INT(ka_role_from_name("Amount"), -1);
	CHECK_INT(ka_role_from_name(""), -1);
	CHECK_INT(ka_role_from_name("nosuchrole"), -1);
}

static void
test_every_role_by_canonical_and_chinese_header(void)
{
	size_t i;

	for (i = 0; i < NROLES; i++) {
		CHECK_INT(ka_role_of_header(roles_by_hand[i].name),
		    roles_by_hand[i].role);
		CHECK_INT(ka_role_of_header(roles_by_hand[i].chinese),
		    roles_by_hand[i].role);
	}
	/* More English and Chinese aliases named in DESIGN.md and the
	   usual exports. */
	CHECK_INT(ka_role_of_header("revenue"), KA_ROLE_AMOUNT);
	CHECK_INT(ka_role_of_header("sales"), KA_ROLE_AMOUNT);
	CHECK_INT(ka_role_of_header("net_sales"), KA_ROLE_AMOUNT);
	CHECK_INT(ka_role_of_header("销售额"), KA_ROLE_AMOUNT);
	CHECK_INT(ka_role_of_header("销售代表"), KA_ROLE_REP);
	CHECK_INT(ka_role_of_header("订单日期"), KA_ROLE_DATE);
	CHECK_INT(ka_role_of_header("quantity"), KA_ROLE_QTY);
	CHECK_INT(ka_role_of_header("客户"), KA_ROLE_CUSTOMER);
	CHECK_INT(ka_role_of_header("客户ID"), KA_ROLE_CUSTOMER_ID);
	CHECK_INT(ka_role_of_header("nothing_like_a_role"), -1);
	CHECK_INT(ka_role_of_header(""), -1);
	CHECK_INT(ka_role_of_header("金"), -1);
}

/* Each alias a role lists leads back to that role and no other. */
static void
test_aliases_lead_back_to_their_role(void)
{
	size_t i, j;

	for (i = 0; i < NROLES; i++) {
		const char *const *alias =
		    ka_role_aliases(roles_by_hand[i].role);

		for (j = 0; alias[j] != NULL; j++)
			if (ka_role_of_header(alias[j]) !=
			    (int)roles_by_hand[i].role) {
				printf("  alias \"%s\" of %s gives role %d\n",
				    alias[j], roles_by_hand[i].name,
				    ka_role_of_header(alias[j]));
				check_failures++;
			}
		CHECK(j >= 2);	/* at least one alias besides the name */
	}
}

static void
test_header_normalisation(void)
{
	CHECK_INT(ka_role_of_header("Invoice No"), KA_ROLE_INVOICE);
	CHECK_INT(ka_role_of_header("INVOICE_NO"), KA_ROLE_INVOICE);
	CHECK_INT(ka_role_of_header("invoice-no"), KA_ROLE_INVOICE);
	CHECK_INT(ka_role_of_header("Invoice.No"), KA_ROLE_INVOICE);
	CHECK_INT(ka_role_of_header("INVOICENO"), KA_ROLE_INVOICE);
	CHECK_INT(ka_role_of_header("  Invoice  No  "), KA_ROLE_INVOICE);
	CHECK_INT(ka_role_of_header("Customer ID"), KA_ROLE_CUSTOMER_ID);
	CHECK_INT(ka_role_of_header("CustomerID"), KA_ROLE_CUSTOMER_ID);
	CHECK_INT(ka_role_of_header("Unit Price"), KA_ROLE_UNIT_PRICE);
	CHECK_INT(ka_role_of_header("unit/price"), KA_ROLE_UNIT_PRICE);
	CHECK_INT(ka_role_of_header("Net Sales"), KA_ROLE_AMOUNT);
	CHECK_INT(ka_role_of_header("NETAMOUNT"), KA_ROLE_AMOUNT);
	CHECK_INT(ka_role_of_header("Sales Rep"), KA_ROLE_REP);
	CHECK_INT(ka_role_of_header("DATE"), KA_ROLE_DATE);
	/* Letters are not dropped, only separators. */
	CHECK_INT(ka_role_of_header("invoice_nos"), -1);
	CHECK_INT(ka_role_of_header("_-./ "), -1);
}

static void
test_resolve_canonical_header(void)
{
	struct fake_record f;
	struct ka_roles roles;
	const char *names[KA_ROLE_COUNT];
	char error[512] = "";
	size_t i;

	for (i = 0; i < NROLES; i++)
		names[i] = roles_by_hand[NROLES - 1 - i].name;
	ka_roles_init(&roles);
	CHECK_INT(ka_roles_resolve(&roles, make_record(&f, "h.csv", NROLES,
	    names), error, sizeof(error)), 0);
	for (i = 0; i < NROLES; i++)
		CHECK_INT(roles.column[roles_by_hand[i].role],
		    (long)(NROLES - 1 - i));
}

static void
test_resolve_chinese_header(void)
{
	struct fake_record f;
	struct ka_roles roles;
	const char *names[KA_ROLE_COUNT];
	char error[512] = "";
	size_t i;

	for (i = 0; i < NROLES; i++)
		names[i] = roles_by_hand[i].chinese;
	ka_roles_init(&roles);
	CHECK_INT(ka_roles_resolve(&roles, make_record(&f, "h.csv", NROLES,
	    names), error, sizeof(error)), 0);
	for (i = 0; i < NROLES; i++)
		CHECK_INT(roles.column[roles_by_hand[i].role], (long)i);
}

static void
test_resolve_absent_roles(void)
{
	struct fake_record f;
	struct ka_roles roles;
	char error[512] = "";

	ka_roles_init(&roles);
	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "Order Date", "Client",
	    "Notes", "", "Revenue"), error, sizeof(error)), 0);
	CHECK_INT(roles.column[KA_ROLE_DATE], 0);
	CHECK_INT(roles.column[KA_ROLE_CUSTOMER], 1);
	CHECK_INT(roles.column[KA_ROLE_AMOUNT], 4);
	CHECK_INT(roles.column[KA_ROLE_CUSTOMER_ID], -1);
	CHECK_INT(roles.column[KA_ROLE_QTY], -1);
	CHECK_INT(roles.column[KA_ROLE_COST], -1);
	CHECK_INT(roles.column[KA_ROLE_RANK], -1);
}

/* SAP: NETAMOUNT is listed before GROSSAMOUNT, so it wins either way. */
static void
test_alias_priority(void)
{
	struct fake_record f;
	struct ka_roles roles;
	char error[512] = "";

	ka_roles_init(&roles);
	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "SALESORDERID",
	    "GROSSAMOUNT", "NETAMOUNT"), error, sizeof(error)), 0);
	CHECK_INT(roles.column[KA_ROLE_AMOUNT], 2);
	CHECK_INT(roles.column[KA_ROLE_INVOICE], 0);

	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "NETAMOUNT",
	    "GROSSAMOUNT"), error, sizeof(error)), 0);
	CHECK_INT(roles.column[KA_ROLE_AMOUNT], 0);

	/* amount itself beats every other alias; revenue beats total. */
	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "total", "revenue",
	    "Amount"), error, sizeof(error)), 0);
	CHECK_INT(roles.column[KA_ROLE_AMOUNT], 2);
	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "total", "revenue"),
	    error, sizeof(error)), 0);
	CHECK_INT(roles.column[KA_ROLE_AMOUNT], 1);
	/* The same alias twice: the first column. */
	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "amount", "AMOUNT"),
	    error, sizeof(error)), 0);
	CHECK_INT(roles.column[KA_ROLE_AMOUNT], 0);
	/* date before order_date. */
	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "order_date", "date"),
	    error, sizeof(error)), 0);
	CHECK_INT(roles.column[KA_ROLE_DATE], 1);
}

static void
test_override_by_name_and_number(void)
{
	struct fake_record f;
	struct ka_roles roles;
	char error[512] = "";

	ka_roles_init(&roles);
	CHECK_INT(ka_roles_override(&roles, "amount=GROSSAMOUNT", error,
	    sizeof(error)), 0);
	CHECK_INT(ka_roles_override(&roles, "customer=3", error,
	    sizeof(error)), 0);
	CHECK_INT(ka_roles_override(&roles, "date=开票日", error,
	    sizeof(error)), 0);
	CHECK_STR(roles.wanted[KA_ROLE_AMOUNT], "GROSSAMOUNT");
	CHECK_STR(roles.wanted[KA_ROLE_CUSTOMER], "3");
	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "NETAMOUNT",
	    "GROSSAMOUNT", "Partner", "开票日", "customer"), error,
	    sizeof(error)), 0);
	CHECK_INT(roles.column[KA_ROLE_AMOUNT], 1);
	/* By number beats the alias "customer" in column 5. */
	CHECK_INT(roles.column[KA_ROLE_CUSTOMER], 2);
	CHECK_INT(roles.column[KA_ROLE_DATE], 3);

	/* A later --col for the same role wins; numbers may have zeros. */
	ka_roles_init(&roles);
	CHECK_INT(ka_roles_override(&roles, "amount=2", error,
	    sizeof(error)), 0);
	CHECK_INT(ka_roles_override(&roles, "amount=01", error,
	    sizeof(error)), 0);
	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "NETAMOUNT",
	    "GROSSAMOUNT"), error, sizeof(error)), 0);
	CHECK_INT(roles.column[KA_ROLE_AMOUNT], 0);
	/* The value may hold '=': only the first one splits. */
	CHECK_INT(ka_roles_override(&roles, "amount=a=b", error,
	    sizeof(error)), 0);
	CHECK_STR(roles.wanted[KA_ROLE_AMOUNT], "a=b");
	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "x", "a=b"), error,
	    sizeof(error)), 0);
	CHECK_INT(roles.column[KA_ROLE_AMOUNT], 1);
}

/*
 * Monthly pivots have columns named "2024", "2025": --col amount=2025
 * names that column, though the text is all digits.
 */
static void
test_override_names_a_numeric_header(void)
{
	struct fake_record f;
	struct ka_roles roles;
	char error[512] = "";

	ka_roles_init(&roles);
	CHECK_INT(ka_roles_override(&roles, "amount=2025", error,
	    sizeof(error)), 0);
	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "customer", "2024",
	    "2025"), error, sizeof(error)), 0);
	CHECK_INT(roles.column[KA_ROLE_AMOUNT], 2);
	if (check_failures)
		printf("  error: %s\n", error);
}

static void
test_override_bad_specs(void)
{
	struct ka_roles roles;
	char error[1024];

	ka_roles_init(&roles);
	strcpy(error, "unchanged");
	CHECK_INT(ka_roles_override(&roles, "amount", error, sizeof(error)),
	    -1);
	CHECK_STR(error, "bad --col \"amount\": expected ROLE=NAME or ROLE=N");
	CHECK_INT(ka_roles_override(&roles, "=x", error, sizeof(error)), -1);
	CHECK_STR(error, "bad --col \"=x\": expected ROLE=NAME or ROLE=N");
	CHECK_INT(ka_roles_override(&roles, "amount=", error, sizeof(error)),
	    -1);
	CHECK_STR(error, "bad --col \"amount=\": expected ROLE=NAME or ROLE=N");
	CHECK_INT(ka_roles_override(&roles, "", error, sizeof(error)), -1);
	CHECK_STR(error, "bad --col \"\": expected ROLE=NAME or ROLE=N");
	CHECK_INT(ka_roles_override(&roles, "nosuchrole=x", error,
	    sizeof(error)), -1);
	CHECK_STR(error, "bad --col \"nosuchrole=x\": unknown role "
	    "\"nosuchrole\"; roles are date, invoice, customer_id, customer, "
	    "region, city, country, rep, owner, sku, product, category, qty, "
	    "unit_price, amount, cost, tier, rank");
	/* An alias is not a role name. */
	CHECK_INT(ka_roles_override(&roles, "revenue=x", error,
	    sizeof(error)), -1);
	CHECK(starts_with(error, "bad --col \"revenue=x\": unknown role "
	    "\"revenue\"; roles are date, "));
	/* Nothing was recorded by the failures. */
	{
		int i;

		for (i = 0; i < KA_ROLE_COUNT; i++)
			CHECK(roles.wanted[i] == NULL);
	}
}

/* A short error buffer gets a terminated prefix, never an overflow. */
static void
test_override_error_truncates(void)
{
	struct ka_roles roles;
	char error[40];

	ka_roles_init(&roles);
	memset(error, 'z', sizeof(error));
	CHECK_INT(ka_roles_override(&roles, "nosuchrole=x", error, 24), -1);
	CHECK_STR(error, "bad --col \"nosuchrole=x");
	CHECK(error[24] == 'z');
	memset(error, 'z', sizeof(error));
	CHECK_INT(ka_roles_override(&roles, "amount", error, 8), -1);
	CHECK_STR(error, "bad --c");
	CHECK(error[8] == 'z');
}

static void
test_override_missing_column(void)
{
	struct fake_record f;
	struct ka_roles roles;
	char error[512] = "";

	ka_roles_init(&roles);
	CHECK_INT(ka_roles_override(&roles, "amount=Betrag", error,
	    sizeof(error)), 0);
	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "date", "customer",
	    "revenue"), error, sizeof(error)), -1);
	CHECK_STR(error, "--col amount=Betrag: no such column (the header "
	    "has 3)");

	ka_roles_init(&roles);
	CHECK_INT(ka_roles_override(&roles, "customer=4", error,
	    sizeof(error)), 0);
	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "date", "customer",
	    "revenue"), error, sizeof(error)), -1);
	CHECK_STR(error, "--col customer=4: no such column (the header has "
	    "3)");

	ka_roles_init(&roles);
	CHECK_INT(ka_roles_override(&roles, "customer=0", error,
	    sizeof(error)), 0);
	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "date", "customer",
	    "revenue"), error, sizeof(error)), -1);
	CHECK_STR(error, "--col customer=0: no such column (the header has "
	    "3)");

	/* Header names are matched exactly, not normalised. */
	ka_roles_init(&roles);
	CHECK_INT(ka_roles_override(&roles, "amount=REVENUE", error,
	    sizeof(error)), 0);
	CHECK_INT(ka_roles_resolve(&roles, HEADER(&f, "date", "customer",
	    "revenue"), error, sizeof(error)), -1);
	CHECK_STR(error, "--col amount=REVENUE: no such column (the header "
	    "has 3)");
}

static void
test_column_of(void)
{
	struct fake_record f;
	struct ka_roles roles;
	const ka_record *header;
	char error[512] = "";

	ka_roles_init(&roles);
	header = HEADER(&f, "日期", "客户", "金额", "amount_old", "5");
	CHECK_INT(ka_roles_resolve(&roles, header, error, sizeof(error)), 0);
	/* By header name. */
	CHECK_INT(ka_column_of(&roles, header, "客户"), 1);
	CHECK_INT(ka_column_of(&roles, header, "amount_old"), 3);
	/* By role name, through the resolved roles. */
	CHECK_INT(ka_column_of(&roles, header, "amount"), 2);
	CHECK_INT(ka_column_of(&roles, header, "date"), 0);
	CHECK_INT(ka_column_of(&roles, header, "customer"), 1);
	/* By 1-based number. */
	CHECK_INT(ka_column_of(&roles, header, "1"), 0);
	CHECK_INT(ka_column_of(&roles, header, "4"), 3);
	/* A header literally named "5" is column 5 by name too. */
	CHECK_INT(ka_column_of(&roles, header, "5"), 4);
	/* Absent: unknown name, a role with no column, bad numbers. */
	CHECK_INT(ka_column_of(&roles, header, "nosuch"), -1);
	CHECK_INT(ka_column_of(&roles, header, "qty"), -1);
	CHECK_INT(ka_column_of(&roles, header, "0"), -1);
	CHECK_INT(ka_column_of(&roles, header, "6"), -1);
	CHECK_INT(ka_column_of(&roles, header, "-1"), -1);
	CHECK_INT(ka_column_of(&roles, header, "2x"), -1);
	CHECK_INT(ka_column_of(&roles, header, ""), -1);
	/* Header names are exact: an alias spelled otherwise is a role
	   lookup, and "Amount" is not a role name. */
	CHECK_INT(ka_column_of(&roles, header, "Amount"), -1);
	/* Without roles, names and numbers still work. */
	CHECK_INT(ka_column_of(NULL, header, "金额"), 2);
	CHECK_INT(ka_column_of(NULL, header, "3"), 2);
	CHECK_INT(ka_column_of(NULL, header, "amount"), -1);
}

/* A header name wins over a role name that means another column. */
static void
test_column_of_header_name_first(void)
{
	struct fake_record f;
	struct ka_roles roles;
	const ka_record *header;
	char error[512] = "";

	ka_roles_init(&roles);
	CHECK_INT(ka_roles_override(&roles, "amount=net", error,
	    sizeof(error)), 0);
	header = HEADER(&f, "net", "customer", "amount");
	CHECK_INT(ka_roles_resolve(&roles, header, error, sizeof(error)), 0);
	CHECK_INT(roles.column[KA_ROLE_AMOUNT], 0);
	CHECK_INT(ka_column_of(&roles, header, "amount"), 2);
}

/* ---- ka_roles_require ---- */

struct require_args {
	const ka_record	*header;
	enum ka_role	 role;
};

static void
call_require(void *arg)
{
	struct require_args *a = arg;
	struct ka_roles roles;
	char error[512];

	ka_set_program("ka-test");
	ka_roles_init(&roles);
	if (ka_roles_resolve(&roles, a->header, error, sizeof(error)) < 0)
		_exit(98);
	ka_roles_require(&roles, a->header, a->role);
}

static void
test_require_present_role_returns(void)
{
	struct fake_record f;
	struct require_args a;
	struct child c;

	a.header = HEADER(&f, "日期", "customer", "金额");
	a.role = KA_ROLE_AMOUNT;
	run_child(call_require, &a, &c);
	CHECK_INT(c.exited, 1);
	CHECK_INT(c.status, 99);	/* returned */
	CHECK_STR(c.err, "");
}

static void
test_require_missing_amount(void)
{
	struct fake_record f;
	struct require_args a;
	struct child c;

	a.header = HEADER(&f, "日期", "customer", "qty");
	a.role = KA_ROLE_AMOUNT;
	run_child(call_require, &a, &c);
	CHECK_INT(c.exited, 1);
	CHECK_INT(c.status, 2);
	CHECK_STR(c.err, "ka-test: sales.csv: no amount column; the header "
	    "has: 日期, customer, qty; tried: amount, revenue, sales, "
	    "net_sales, netamount, net_amount, net_revenue, sales_amount, "
	    "line_total, total, grossamount, value, 金额, 销售额, 销售金额, "
	    "净销售额, 总额; name one with --col amount=NAME\n");
}

static void
test_require_missing_customer_id(void)
{
	struct fake_record f;
	struct require_args a;
	struct child c;

	a.header = make_record(&f, NULL, 2, (const char *[]){ "客户",
	    "金额" });
	a.role = KA_ROLE_CUSTOMER_ID;
	run_child(call_require, &a, &c);
	CHECK_INT(c.exited, 1);
	CHECK_INT(c.status, 2);
	/* No file name: "input". */
	CHECK_STR(c.err, "ka-test: input: no customer_id column; the header "
	    "has: 客户, 金额; tried: customer_id, cust_id, customer_no, "
	    "customer_number, customer_code, client_id, account_id, "
	    "account_no, partnerid, partner_id, buyer_id, 客户编号, 客户代码, "
	    "客户id, 客户号; name one with --col customer_id=NAME\n");
}

/* A header with no columns at all (an empty file). */
static void
test_require_empty_header(void)
{
	struct fake_record f;
	struct require_args a;
	struct child c;

	a.header = make_record(&f, "empty.csv", 0, NULL);
	a.role = KA_ROLE_RANK;
	run_child(call_require, &a, &c);
	CHECK_INT(c.status, 2);
	CHECK_STR(c.err, "ka-test: empty.csv: no rank column; the header "
	    "has: ; tried: rank, ranking, 排名; name one with --col "
	    "rank=NAME\n");
}

/* A very wide header is cut short, not overflowed. */
static void
test_require_huge_header(void)
{
	static struct fake_record f;
	static char names[600][24];
	const char *fields[600];
	struct require_args a;
	struct child c;
	size_t i;

	for (i = 0; i < 600; i++) {
		snprintf(names[i], sizeof(names[i]), "column_number_%zu", i);
		fields[i] = names[i];
	}
	a.header = make_record(&f, "wide.csv", 600, fields);
	a.role = KA_ROLE_AMOUNT;
	run_child(call_require, &a, &c);
	CHECK_INT(c.exited, 1);
	CHECK_INT(c.status, 2);
	CHECK(starts_with(c.err, "ka-test: wide.csv: no amount column; the "
	    "header has: column_number_0, column_number_1, "));
	CHECK(strstr(c.err, "; tried: amount, revenue, ") != NULL);
	CHECK(strstr(c.err, "; name one with --col amount=NAME\n") != NULL);
	CHECK(strlen(c.err) < 4096);
}

int
main(void)
{
	RUN(test_role_names);
	RUN(test_every_role_by_canonical_and_chinese_header);
	RUN(test_aliases_lead_back_to_their_role);
	RUN(test_header_normalisation);
	RUN(test_resolve_canonical_header);
	RUN(test_resolve_chinese_header);
	RUN(test_resolve_absent_roles);
	RUN(test_alias_priority);
	RUN(test_override_by_name_and_number);
	RUN(test_override_names_a_numeric_header);
	RUN(test_override_bad_specs);
	RUN(test_override_error_truncates);
	RUN(test_override_missing_column);
	RUN(test_column_of);
	RUN(test_column_of_header_name_first);
	RUN(test_require_present_role_returns);
	RUN(test_require_missing_amount);
	RUN(test_require_missing_customer_id);
	RUN(test_require_empty_header);
	RUN(test_require_huge_header);
	return CHECK_EXIT();
}
