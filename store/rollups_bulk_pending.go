package store

import (
	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// rebuildRollups recomputes every roll-up table from the events a bulk import loaded,
// in its transaction. A placeholder: replaced by store/rollups.go when the roll-up
// tables land.
func (s *Store) rebuildRollups(tx *gorm.DB) error { return nil }

// rollupsIn adds the events ids, just inserted with their participants by an import's
// batch, to the roll-up tables, in the import's transaction. A placeholder: replaced by
// store/rollups.go when the roll-up tables land.
func (s *Store) rollupsIn(tx *gorm.DB, ids []models.ID) error { return nil }
