package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// This file says what still refers to an entity that a delete refused: the 409 names the
// referring entities (a few, and how many) instead of only saying that some exist. The
// referring columns come from the database's own catalog of foreign keys, so a new
// reference in a migration is named here without a list to keep in step.

// errStillReferenced is what a delete's transaction returns when a foreign key refused
// it; remove turns it into the 409 that names the referrers, read after the rollback.
var errStillReferenced = errors.New("still referenced")

// Bounds of the 409's list: the referring entities named per kind, and the count past
// which it says "more than".
const (
	referrerSample   = 3
	referrerCountCap = 1000
)

// referrer is a foreign key that points at a table and blocks deleting a row it names:
// the referring table and column, the kind that owns the referring rows (the kind whose
// table it is, or whose child table), and the column holding the owner's id. A merge
// (store/merge.go) reads every foreign key, cascading ones too, and moves each.
type referrer struct {
	table, column string
	owner         *models.Kind // nil for a table no kind owns (none today; not named)
	ownerKey      string
	nullable      bool
}

// sqlName accepts the identifiers the catalog may give before they go into SQL.
var sqlName = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// pgReferrers lists the foreign keys of the current schema that point at a table and,
// unless the second argument is true, do not cascade (NO ACTION or RESTRICT).
const pgReferrers = `SELECT r.relname AS tbl, a.attname AS col, NOT a.attnotnull AS nullable
FROM pg_constraint c
JOIN pg_class r ON r.oid = c.conrelid
JOIN pg_class f ON f.oid = c.confrelid
JOIN pg_namespace n ON n.oid = f.relnamespace
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
WHERE c.contype = 'f' AND (? OR c.confdeltype IN ('a', 'r')) AND n.nspname = current_schema() AND f.relname = ?
ORDER BY r.relname, a.attname`

// sqliteReferrers is pgReferrers for SQLite.
const sqliteReferrers = `SELECT m.name AS tbl, k."from" AS col, i."notnull" = 0 AS nullable
FROM sqlite_master m, pragma_foreign_key_list(m.name) k, pragma_table_info(m.name) i
WHERE m.type = 'table' AND i.name = k."from" AND (? OR upper(k.on_delete) IN ('NO ACTION', 'RESTRICT')) AND k."table" = ?
ORDER BY m.name, k."from"`

// referrersOf reads the foreign keys that block deleting a row of table.
func referrersOf(db *gorm.DB, table string) ([]referrer, error) {
	return foreignKeysTo(db, table, false)
}

// foreignKeysTo reads the foreign keys that point at table: those that block a delete,
// or with all every one (a merge moves cascading references too).
func foreignKeysTo(db *gorm.DB, table string, all bool) ([]referrer, error) {
	q := sqliteReferrers
	if db.Dialector.Name() == "postgres" {
		q = pgReferrers
	}
	var rows []struct {
		Tbl, Col string
		Nullable bool
	}
	if err := db.Raw(q, all, table).Scan(&rows).Error; err != nil {
		return nil, err
	}
	var out []referrer
	for _, r := range rows {
		if !sqlName.MatchString(r.Tbl) || !sqlName.MatchString(r.Col) {
			continue
		}
		ref := referrer{table: r.Tbl, column: r.Col, ownerKey: "id", nullable: r.Nullable}
		for _, k := range models.Kinds {
			if k.Table == r.Tbl {
				ref.owner = k
			} else if k.ChildKey != "" && sqlName.MatchString(k.ChildKey) && strings.Contains(","+strings.Join(childTables(k), ",")+",", ","+r.Tbl+",") {
				ref.owner, ref.ownerKey = k, k.ChildKey
			}
		}
		out = append(out, ref)
	}
	return out, nil
}

// referencedError is the 409 for a refused delete of the entity id of kind k (label is
// how people know it: its slug, else its id): which entities still refer to it, by kind
// in the order of models.Kinds, each with a count (bounded by referrerCountCap) and the
// first referrerSample slugs (or ids). Should the catalog or the count fail, or the
// references be gone already (the count runs after the refused transaction), it says
// only that references remain.
func referencedError(ctx context.Context, db *gorm.DB, k *models.Kind, id models.ID, label string) error {
	generic := models.Errorf(models.ECONFLICT, "%s %q is still referenced by other entities; remove those references first", k.Name, label)
	db = db.WithContext(ctx)
	refs, err := referrersOf(db, k.Table)
	if err != nil || len(refs) == 0 {
		return generic
	}
	var parts []string
	for _, owner := range models.Kinds {
		var group []referrer
		for _, r := range refs {
			if r.owner == owner {
				group = append(group, r)
			}
		}
		if len(group) == 0 {
			continue
		}
		p, err := describeReferrers(db, group, id)
		if err != nil {
			return generic
		}
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return generic
	}
	list := parts[0]
	if n := len(parts); n > 1 {
		list = strings.Join(parts[:n-1], ", ") + " and " + parts[n-1]
	}
	return models.Errorf(models.ECONFLICT, "%s %q is still referenced by %s; remove those references first", k.Name, label, list)
}

// describeReferrers counts the distinct owners of the rows of group (one kind's
// referring columns) that name id, other than id itself, and names the first few:
// "3 events (abu-dhabi-talks, davos-meeting, geneva-round)". "" when there are none.
// Each column is read at most referrerCountCap+1 rows deep, so the cost is bounded
// however many rows refer to id.
func describeReferrers(db *gorm.DB, group []referrer, id models.ID) (string, error) {
	branches := make([]string, len(group))
	var args []any
	for i, r := range group {
		branches[i] = fmt.Sprintf("SELECT o FROM (SELECT %s AS o FROM %s WHERE %s = ? LIMIT %d) b%d",
			r.ownerKey, r.table, r.column, referrerCountCap+1, i)
		args = append(args, id)
	}
	owners := strings.Join(branches, " UNION ")
	var n int64
	if err := db.Raw("SELECT COUNT(*) FROM ("+owners+") u WHERE o <> ?", append(args, id)...).Scan(&n).Error; err != nil {
		return "", err
	}
	if n == 0 {
		return "", nil
	}
	owner := group[0].owner
	noun := owner.Plural
	if n == 1 {
		noun = owner.Name
	}
	col := "id"
	if owner.Slug {
		col = "slug"
	}
	var names []string
	q := fmt.Sprintf("SELECT %s FROM %s WHERE id IN (%s) AND id <> ? ORDER BY %s LIMIT %d", col, owner.Table, owners, col, referrerSample)
	if err := db.Raw(q, append(args, id)...).Scan(&names).Error; err != nil {
		return "", err
	}
	count := groupInt(n)
	if n > referrerCountCap {
		count = "more than " + groupInt(referrerCountCap)
	}
	s := count + " " + noun
	if len(names) > 0 {
		more := ""
		if n > int64(len(names)) {
			more = ", …"
		}
		s += " (" + strings.Join(names, ", ") + more + ")"
	}
	return s, nil
}

// groupInt writes n with commas between groups of three digits: 1,000.
func groupInt(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
