package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// ImportBulk is Import into an empty database, for a first load: the records are read,
// checked and counted as Import does, but the secondary indexes and foreign keys of the
// tables an import writes are dropped first and built again once every row is in (a
// sorted build of each index, one check of each foreign key for all rows), all in the
// import's one transaction. Should anything fail or a line be refused (when atomic),
// the transaction rolls back, indexes and constraints included: the database is empty
// as before. The definitions are read from the database's catalogue at run time, so
// they are the migrations' own. Primary keys and unique indexes stay: the import finds
// records by them as it goes.
//
// A database with any entity or revision is refused with a conflict (ErrNotEmpty), as
// the bulk path never updates. While it runs, it holds the import's tables exclusively.
// On SQLite the indexes are dropped and rebuilt the same way (SQLite keeps its foreign
// keys).
func (s *Store) ImportBulk(ctx context.Context, next func() (ImportRecord, error), opt ImportOptions) (*ImportReport, error) {
	var deferred []string
	return s.importRecords(ctx, next, opt, &importStages{
		before: func(tx *gorm.DB) error {
			var err error
			deferred, err = s.bulkPrepare(tx)
			return err
		},
		after: func(tx *gorm.DB) error {
			for _, q := range deferred {
				if err := tx.Exec(q).Error; err != nil {
					return fmt.Errorf("bulk import: %s: %w", q, err)
				}
			}
			return nil // the event spec's hooks kept the roll-ups, batch by batch
		},
		empty: true,
	})
}

// ErrNotEmpty is the problem of a bulk import into a database that holds data.
var ErrNotEmpty = &models.Error{Code: models.ECONFLICT,
	Message: "a bulk import needs an empty database, and this one holds data: import without bulk to add to it"}

// bulkTables are the tables an import writes, parents before children.
func bulkTables() []string {
	var out []string
	for _, kind := range importOrder() {
		for _, t := range importTables(kind) {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return append(out, "revisions")
}

// bulkPrepare locks the import's tables, checks that they are empty, and drops their
// secondary indexes and foreign keys; it returns the statements that make them again,
// foreign keys last.
func (s *Store) bulkPrepare(tx *gorm.DB) ([]string, error) {
	tables := bulkTables()
	if s.dialect == Postgres {
		// Nothing may write between the check and the load. The tables are named by
		// the code, never by input.
		if err := tx.Exec("LOCK TABLE " + strings.Join(tables, ", ") + " IN ACCESS EXCLUSIVE MODE").Error; err != nil {
			return nil, err
		}
	}
	for _, t := range tables {
		var one []int
		if err := tx.Raw("SELECT 1 FROM " + t + " LIMIT 1").Scan(&one).Error; err != nil {
			return nil, err
		}
		if len(one) > 0 {
			return nil, ErrNotEmpty
		}
	}
	if s.dialect == Postgres {
		// Index builds sort in memory up to this, per index.
		if err := tx.Exec("SET LOCAL maintenance_work_mem = '256MB'").Error; err != nil {
			return nil, err
		}
		return bulkDropPostgres(tx, tables)
	}
	return bulkDropSQLite(tx, tables)
}

// bulkIndexes lists the secondary indexes of tables in the current schema: neither
// unique nor backing a constraint.
const bulkIndexes = `SELECT x.indexname AS name, x.indexdef AS def FROM pg_indexes x
JOIN pg_class c ON c.relname = x.indexname JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = x.schemaname
JOIN pg_index i ON i.indexrelid = c.oid
WHERE x.schemaname = current_schema() AND x.tablename IN ? AND NOT i.indisunique
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
ORDER BY x.tablename, x.indexname`

// bulkForeignKeys lists the foreign keys of tables in the current schema.
const bulkForeignKeys = `SELECT t.relname AS tbl, k.conname AS name, pg_get_constraintdef(k.oid) AS def
FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE k.contype = 'f' AND n.nspname = current_schema() AND t.relname IN ?
ORDER BY t.relname, k.conname`

// bulkDropPostgres drops the secondary indexes and foreign keys of tables and returns
// what makes them again.
func bulkDropPostgres(tx *gorm.DB, tables []string) ([]string, error) {
	var idx []struct{ Name, Def string }
	if err := tx.Raw(bulkIndexes, tables).Scan(&idx).Error; err != nil {
		return nil, err
	}
	var fks []struct{ Tbl, Name, Def string }
	if err := tx.Raw(bulkForeignKeys, tables).Scan(&fks).Error; err != nil {
		return nil, err
	}
	var schema string
	if err := tx.Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
		return nil, err
	}
	var drop, fkAdd, idxAdd []string
	for _, fk := range fks {
		table := pgx.Identifier{schema, fk.Tbl}.Sanitize()
		name := pgx.Identifier{fk.Name}.Sanitize()
		drop = append(drop, "ALTER TABLE "+table+" DROP CONSTRAINT "+name)
		fkAdd = append(fkAdd, "ALTER TABLE "+table+" ADD CONSTRAINT "+name+" "+fk.Def)
	}
	for _, x := range idx {
		drop = append(drop, "DROP INDEX "+pgx.Identifier{schema, x.Name}.Sanitize())
		idxAdd = append(idxAdd, x.Def)
	}
	for _, q := range drop {
		if err := tx.Exec(q).Error; err != nil {
			return nil, fmt.Errorf("bulk import: %s: %w", q, err)
		}
	}
	return append(idxAdd, fkAdd...), nil
}

// bulkDropSQLite drops the secondary (not unique) indexes of tables and returns what
// makes them again.
func bulkDropSQLite(tx *gorm.DB, tables []string) ([]string, error) {
	var idx []struct{ Name, SQL string }
	err := tx.Raw(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN ? AND upper(sql) NOT LIKE 'CREATE UNIQUE%' ORDER BY tbl_name, name`, tables).Scan(&idx).Error
	if err != nil {
		return nil, err
	}
	var out []string
	for _, x := range idx {
		if err := tx.Exec(`DROP INDEX "` + strings.ReplaceAll(x.Name, `"`, `""`) + `"`).Error; err != nil {
			return nil, err
		}
		out = append(out, x.SQL)
	}
	return out, nil
}
