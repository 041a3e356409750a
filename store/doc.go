// Package store owns every database access of parley: opening PostgreSQL or SQLite from
// one URL, running the embedded migrations, CRUD in transactions with a revision per
// change, reference resolution, filters and keyset pagination. No SQL lives elsewhere.
// It returns *models.Error values so callers never see driver errors.
package store
