package store

import (
	"context"

	"github.com/parley-api/parley/models"
	"github.com/pressly/goose/v3"
	"gorm.io/gorm"
)

// MigrateToForTest applies the migrations up to version and no further.
func MigrateToForTest(ctx context.Context, s *Store, version int64) error {
	return s.migrate(ctx, func(p *goose.Provider) error {
		_, err := p.UpTo(ctx, version)
		return err
	})
}

// MigrateDownToForTest undoes the migrations after version, whatever later ones exist.
func MigrateDownToForTest(ctx context.Context, s *Store, version int64) error {
	return s.migrate(ctx, func(p *goose.Provider) error {
		_, err := p.DownTo(ctx, version)
		return err
	})
}

// SearchTextsForTest maps the id of every row of table to its search_text.
func SearchTextsForTest(s *Store, table string) (map[string]string, error) {
	var rows []struct{ ID, SearchText string }
	if err := s.db.Table(table).Select("CAST(id AS text) AS id, search_text").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.SearchText
	}
	return out, nil
}

// RefreshSearchForTest recomputes the search text of every statement and event with the
// code every write runs.
func RefreshSearchForTest(s *Store) error {
	return s.db.Transaction(func(tx *gorm.DB) error {
		var sts []models.Statement
		if err := tx.Table("statements").Select("id, text, attribution").Find(&sts).Error; err != nil {
			return err
		}
		for i := range sts {
			if err := refreshStatementSearch(tx, &sts[i]); err != nil {
				return err
			}
		}
		var ids []models.ID
		if err := tx.Table("events").Pluck("id", &ids).Error; err != nil {
			return err
		}
		return refreshEventSearch(tx, ids...)
	})
}
