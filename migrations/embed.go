// Package migrations holds parley's versioned schema: SQL, one folder per dialect, embedded
// in the binary so that `parley migrate` and first start need no files beside it, and the
// migrations written in Go (Go), each frozen in its own file. The two folders must
// describe the same schema; store's schema test checks both against the GORM models.
package migrations

import (
	"embed"

	"github.com/pressly/goose/v3"
)

// Postgres holds postgres/*.sql.
//
//go:embed postgres/*.sql
var Postgres embed.FS

// SQLite holds sqlite/*.sql.
//
//go:embed sqlite/*.sql
var SQLite embed.FS

// Go lists the migrations written in Go, for goose.WithGoMigrations; postgres selects the
// PostgreSQL dialect's placeholders.
func Go(postgres bool) []*goose.Migration {
	return []*goose.Migration{migration3(postgres), migration10(postgres)}
}
