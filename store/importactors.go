package store

import (
	"context"

	"github.com/parley-api/parley/models"
)

// ActorForImport returns the stored actor that an import naming slug lands on, or nil
// when there is none. Importers that build records in code (GDELT) call it to extend a
// stored actor (its aliases) rather than overwrite it. It resolves the slug as every
// read of an actor does (GetActor), so that a slug the store answers for another actor
// (a merged one's) gives that actor.
func (s *Store) ActorForImport(ctx context.Context, slug string) (*models.Actor, error) {
	a, err := actorSpec.get(ctx, s.db, slug)
	if models.ErrorCodeOf(err) == models.ENOTFOUND {
		return nil, nil
	}
	return a, err
}
