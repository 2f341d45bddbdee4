#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ka_msg.h"
#include "ka_roles.h"

/*
 * Aliases are compared after normalising: ASCII letters lowered, and
 * spaces, '_', '-', '.' and '/' dropped, so "Invoice No", "invoice_no"
 * and "INVOICENO" all meet.  Order matters: within a role, an earlier
 * alias wins over a later one when a header has both (SAP's NETAMOUNT
 * before GROSSAMOUNT).
 */
static const char *const date_aliases[] = { "date", "order_date",
	"invoice_date", "transaction_date", "sales_date", "posting_date",
	"document_date", "orderdate", "createdat", "日期", "订单日期",
	"销售日期", "开票日期", "单据日期", "交易日期", NULL };
static const char *const invoice_aliases[] = { "invoice", "invoice_no",
	"invoice_number", "invoice_id", "order_id", "order_no",
	"order_number", "salesorderid", "document", "document_no", "order",
	"发票号", "发票号码", "单号", "订单号", "订单编号", "单据号", NULL };
static const char *const customer_id_aliases[] = { "customer_id",
	"cust_id", "customer_no", "customer_number", "customer_code",
	"client_id", "account_id", "account_no", "partnerid", "partner_id",
	"buyer_id", "客户编号", "客户代码", "客户id", "客户号", NULL };
static const char *const customer_aliases[] = { "customer",
	"customer_name", "cust_name", "client", "client_name", "account",
	"account_name", "company", "companyname", "company_name", "客户",
	"客户名称", "客户名", "公司名称", NULL };
static const char *const region_aliases[] = { "region", "sales_region",
	"area", "territory", "salesorg", "sales_org", "区域", "地区",
	"大区", "销售区域", NULL };
static const char *const city_aliases[] = { "city", "town", "ship_city",
	"城市", NULL };
static const char *const country_aliases[] = { "country", "nation",
	"ship_country", "国家", NULL };
static const char *const rep_aliases[] = { "rep", "sales_rep",
	"salesrep", "salesperson", "sales_person", "seller", "employee",
	"employee_id", "createdby", "销售代表", "业务员", "销售员",
	"销售", NULL };
static const char *const owner_aliases[] = { "owner", "account_owner",
	"account_manager", "key_account_manager", "kam", "客户经理",
	"负责人", NULL };
static const char *const sku_aliases[] = { "sku", "stockcode",
	"stock_code", "item", "item_code", "item_no", "product_id",
	"product_code", "material", "article", "产品编号", "物料号",
	"商品编码", "产品代码", "货号", NULL };
static const char *const product_aliases[] = { "product", "product_name",
	"description", "item_name", "item_description", "article_name",
	"产品", "产品名称", "商品名称", "品名", NULL };
static const char *const category_aliases[] = { "category",
	"product_category", "category_name", "prodcategoryid",
	"product_group", "类别", "品类", "产品类别", "商品类别", NULL };
static const char *const qty_aliases[] = { "qty", "quantity", "units",
	"unit_count", "pieces", "数量", "件数", NULL };
static const char *const unit_price_aliases[] = { "unit_price", "price",
	"unitprice", "list_price", "单价", "价格", NULL };
static const char *const amount_aliases[] = { "amount", "revenue",
	"sales", "net_sales", "netamount", "net_amount", "net_revenue",
	"sales_amount", "line_total", "total", "grossamount", "value",
	"金额", "销售额", "销售金额", "净销售额", "总额", NULL };
static const char *const cost_aliases[] = { "cost", "cogs", "cost_amount",
	"total_cost", "成本", "成本金额", NULL };
static const char *const tier_aliases[] = { "tier", "class", "abc",
	"等级", "级别", NULL };
static const char *const rank_aliases[] = { "rank", "ranking", "排名",
	NULL };

static const char *const *const aliases[KA_ROLE_COUNT] = {
	date_aliases, invoice_aliases, customer_id_aliases, customer_aliases,
	region_aliases, city_aliases, country_aliases, rep_aliases,
	owner_aliases, sku_aliases, product_aliases, category_aliases,
	qty_aliases, unit_price_aliases, amount_aliases, cost_aliases,
	tier_aliases, rank_aliases
};

void
ka_roles_init(struct ka_roles *roles)
{
	int i;

	for (i = 0; i < KA_ROLE_COUNT; i++) {
		roles->column[i] = -1;
		roles->wanted[i] = NULL;
	}
}

const char *
ka_role_name(enum ka_role role)
{
	return aliases[role][0];
}

int
ka_role_from_name(const char *name)
{
	int i;

	for (i = 0; i < KA_ROLE_COUNT; i++)
		if (strcmp(name, aliases[i][0]) == 0)
			return i;
	return -1;
}

const char *const *
ka_role_aliases(enum ka_role role)
{
	return aliases[role];
}

size_t
ka_roles_normalise(const char *in, size_t length, char *out, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < length && in[i] != '\0' && n + 1 < size; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '/' ||
		    c == '\t')
			continue;
		out[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	out[n] = '\0';
	return n;
}

/* Rank of the best alias of role matching name, or -1. */
static int
alias_rank(enum ka_role role, const char *normal_name)
{
	char normal_alias[128];
	int i;

	for (i = 0; aliases[role][i] != NULL; i++) {
		ka_roles_normalise(aliases[role][i],
		    strlen(aliases[role][i]), normal_alias,
		    sizeof(normal_alias));
		if (strcmp(normal_alias, normal_name) == 0)
			return i;
	}
	return -1;
}

int
ka_role_of_header(const char *name)
{
	char normal[256];
	int role;

	ka_roles_normalise(name, strlen(name), normal, sizeof(normal));
	for (role = 0; role < KA_ROLE_COUNT; role++)
		if (alias_rank(role, normal) >= 0)
			return role;
	return -1;
}

int
ka_roles_override(struct ka_roles *roles, const char *spec, char *error,
    size_t error_size)
{
	const char *equals = strchr(spec, '=');
	char role_name[64];
	size_t n;
	int role;

	if (equals == NULL || equals == spec || equals[1] == '\0') {
		snprintf(error, error_size, "bad --col \"%s\": expected "
		    "ROLE=NAME or ROLE=N", spec);
		return -1;
	}
	n = (size_t)(equals - spec);
	if (n >= sizeof(role_name))
		n = sizeof(role_name) - 1;
	memcpy(role_name, spec, n);
	role_name[n] = '\0';
	if ((role = ka_role_from_name(role_name)) < 0) {
		int i, used;

		used = snprintf(error, error_size, "bad --col \"%s\": unknown "
		    "role \"%s\"; roles are", spec, role_name);
		for (i = 0; i < KA_ROLE_COUNT && used > 0 &&
		    (size_t)used < error_size; i++)
			used += snprintf(error + used, error_size - (size_t)used,
			    "%s %s", i ? "," : "", aliases[i][0]);
		return -1;
	}
	roles->wanted[role] = equals + 1;
	return 0;
}

/* "N" (1-based) as a column index, or -1 when not a plain number. */
static long
column_number(const char *text, size_t nfields)
{
	char *end;
	long n;

	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	n = strtol(text, &end, 10);
	if (*end != '\0' || errno != 0 || n < 1 || (size_t)n > nfields)
		return -2;
	return n - 1;
}

int
ka_roles_resolve(struct ka_roles *roles, const ka_record *header,
    char *error, size_t error_size)
{
	char normal[256];
	int role, best[KA_ROLE_COUNT], rank;
	size_t i;
	long column;

	for (role = 0; role < KA_ROLE_COUNT; role++) {
		roles->column[role] = -1;
		best[role] = 1 << 30;
	}
	for (i = 0; i < header->nfields; i++) {
		ka_roles_normalise(ka_field(header, i),
		    ka_field_length(header, i), normal, sizeof(normal));
		if (normal[0] == '\0')
			continue;
		for (role = 0; role < KA_ROLE_COUNT; role++) {
			rank = alias_rank(role, normal);
			if (rank >= 0 && rank < best[role]) {
				best[role] = rank;
				roles->column[role] = (long)i;
			}
		}
	}
	/* Each column plays its best role only once per header name. */
	for (role = 0; role < KA_ROLE_COUNT; role++) {
		const char *wanted = roles->wanted[role];

		if (wanted == NULL)
			continue;
		/* A name first, as ka_column_of() does: pivoted exports
		 * have columns named "2024", "2025". */
		column = ka_header_index(header, wanted);
		if (column < 0)
			column = column_number(wanted, header->nfields);
		if (column < 0) {
			snprintf(error, error_size, "--col %s=%s: no such "
			    "column (the header has %zu)", ka_role_name(role),
			    wanted, header->nfields);
			return -1;
		}
		roles->column[role] = column;
	}
	return 0;
}

void
ka_roles_require(const struct ka_roles *roles, const ka_record *header,
    enum ka_role role)
{
	char seen[2048], tried[1024];
	size_t i, used = 0;
	int n;

	if (roles->column[role] >= 0)
		return;
	seen[0] = tried[0] = '\0';
	for (i = 0; i < header->nfields && used < sizeof(seen); i++) {
		n = snprintf(seen + used, sizeof(seen) - used, "%s%s",
		    i ? ", " : "", ka_field(header, i));
		if (n < 0)
			break;
		used += (size_t)n;
	}
	used = 0;
	for (i = 0; aliases[role][i] != NULL && used < sizeof(tried); i++) {
		n = snprintf(tried + used, sizeof(tried) - used, "%s%s",
		    i ? ", " : "", aliases[role][i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	ka_die(KA_EXIT_USAGE, "%s: no %s column; the header has: %s; "
	    "tried: %s; name one with --col %s=NAME", header->file ?
	    header->file : "input", ka_role_name(role), seen, tried,
	    ka_role_name(role));
}

long
ka_column_of(const struct ka_roles *roles, const ka_record *header,
    const char *name)
{
	long column;
	int role;

	if ((column = ka_header_index(header, name)) >= 0)
		return column;
	if ((role = ka_role_from_name(name)) >= 0 && roles != NULL &&
	    roles->column[role] >= 0)
		return roles->column[role];
	column = column_number(name, header->nfields);
	return column >= 0 ? column : -1;
}
