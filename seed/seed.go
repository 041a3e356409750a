// Package seed holds parley's built-in dataset (embedded): the first trilateral
// Russia–Ukraine–United States talks in Abu Dhabi and the meetings, statements and
// summit around them, as reported by Meduza. `parley seed` and the first start of
// `parley serve` on an empty database load it.
package seed

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

//go:embed dataset.json
var dataset []byte

// Author is the revision author of seeded entities.
const Author = "seed"

// File is the shape of dataset.json: entities in dependency order, with fixed ids so
// that loading is idempotent, and references written as slugs.
type File struct {
	Actors     []models.Actor     `json:"actors"`
	Locations  []models.Location  `json:"locations"`
	Outlets    []models.Outlet    `json:"outlets,omitempty"`
	Sources    []models.Source    `json:"sources"`
	Events     []models.Event     `json:"events"`
	Statements []models.Statement `json:"statements"`
}

// Count is the number of entities in the dataset: what a first load creates.
func (f *File) Count() int {
	return len(f.Actors) + len(f.Locations) + len(f.Outlets) + len(f.Sources) + len(f.Events) + len(f.Statements)
}

// Dataset decodes the embedded dataset.
func Dataset() (*File, error) {
	var f File
	if err := models.DecodeStrict(bytes.NewReader(dataset), &f); err != nil {
		return nil, fmt.Errorf("seed: dataset.json: %w", err)
	}
	return &f, nil
}

// Report counts what Load created and what it found already present.
type Report struct {
	Created int
	Skipped int
}

// Load creates every dataset entity that is not in the database yet, identified by its
// fixed id; entities already there are left as they are, so a second run changes nothing.
// It holds the store's exclusive lock, so loads running at once (several instances
// starting on one database) run one after the other and only the first creates anything.
func Load(ctx context.Context, st *store.Store) (Report, error) {
	var r Report
	err := st.Exclusive(ctx, func(ctx context.Context) error {
		var err error
		r, err = load(ctx, st)
		return err
	})
	return r, err
}

// LoadIfEmpty loads the dataset when the database holds no actors and no events, as
// first start does, and reports whether it did. The check and the load happen under the
// store's exclusive lock: of several instances starting at once on an empty database,
// one loads the dataset and the others, once it is complete, find the database in use.
func LoadIfEmpty(ctx context.Context, st *store.Store) (r Report, loaded bool, err error) {
	err = st.Exclusive(ctx, func(ctx context.Context) error {
		empty, err := st.IsEmpty(ctx)
		if err != nil || !empty {
			return err
		}
		r, err = load(ctx, st)
		loaded = err == nil
		return err
	})
	return r, loaded, err
}

// load is Load without the lock.
func load(ctx context.Context, st *store.Store) (Report, error) {
	f, err := Dataset()
	if err != nil {
		return Report{}, err
	}
	ctx = store.WithAuthor(ctx, Author)
	var r Report
	step := func(kind string, id models.ID, get, create func() error) error {
		err := get()
		if err == nil {
			r.Skipped++
			return nil
		}
		if models.ErrorCodeOf(err) != models.ENOTFOUND {
			return fmt.Errorf("seed: %s %s: %w", kind, id, err)
		}
		if err := create(); err != nil {
			return fmt.Errorf("seed: %s %s: %w", kind, id, err)
		}
		r.Created++
		return nil
	}
	for i := range f.Actors {
		a := &f.Actors[i]
		if err := step("actor", a.ID, func() error { _, err := st.GetActor(ctx, a.ID.String()); return err },
			func() error { return st.CreateActor(ctx, a) }); err != nil {
			return r, err
		}
	}
	for i := range f.Locations {
		l := &f.Locations[i]
		if err := step("location", l.ID, func() error { _, err := st.GetLocation(ctx, l.ID.String()); return err },
			func() error { return st.CreateLocation(ctx, l) }); err != nil {
			return r, err
		}
	}
	for i := range f.Outlets {
		o := &f.Outlets[i]
		if err := step("outlet", o.ID, func() error { _, err := st.GetOutlet(ctx, o.ID.String()); return err },
			func() error { return st.CreateOutlet(ctx, o) }); err != nil {
			return r, err
		}
	}
	for i := range f.Sources {
		s := &f.Sources[i]
		if err := step("source", s.ID, func() error { _, err := st.GetSource(ctx, s.ID.String()); return err },
			func() error { return st.CreateSource(ctx, s) }); err != nil {
			return r, err
		}
	}
	for i := range f.Events {
		e := &f.Events[i]
		if err := step("event", e.ID, func() error { _, err := st.GetEvent(ctx, e.ID.String(), store.Include{}); return err },
			func() error { return st.CreateEvent(ctx, e) }); err != nil {
			return r, err
		}
	}
	for i := range f.Statements {
		s := &f.Statements[i]
		if err := step("statement", s.ID, func() error { _, err := st.GetStatement(ctx, s.ID.String()); return err },
			func() error { return st.CreateStatement(ctx, s) }); err != nil {
			return r, err
		}
	}
	return r, nil
}
