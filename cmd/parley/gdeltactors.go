package main

import (
	"maps"
	"slices"
	"strings"

	"github.com/parley-api/parley/models"
)

// gdeltMaxAliases caps the aliases a GDELT import gives one actor: the first names seen
// are kept. GDELT gives a busy code (USA, USAGOV) thousands of names.
const gdeltMaxAliases = 25

// gdeltMaxBook bounds the actors a GDELT import remembers (one per CAMEO code, a few
// thousand in a day's file). Past it the book starts afresh; an actor this import
// created before then is not yet committed, so a later row naming it sends only that
// row's alias, and the aliases gathered before are replaced: a limit of imports of more
// than this many distinct codes at once.
const gdeltMaxBook = 1 << 17

// gdeltActorBook resolves the actors of GDELT rows against what is stored and what the
// import has sent, so that one CAMEO code is one actor across rows and files: an
// actor already stored is extended with the row's name as an alias (its name, kind and
// the rest stay as stored, an editor's corrections included), and an actor record is
// sent only when it adds something.
type gdeltActorBook struct {
	// find is the stored actor an import naming a slug lands on, nil when none
	// (store.ActorForImport).
	find func(slug string) (*models.Actor, error)
	// known holds, by the slug the decoder gave, the actor as the import leaves it.
	known map[string]*models.Actor
}

func newGDELTActorBook(find func(string) (*models.Actor, error)) *gdeltActorBook {
	return &gdeltActorBook{find: find, known: map[string]*models.Actor{}}
}

// resolve returns the record to send for decoded actor a (nil when it adds nothing) and
// the slug the row's event must name it by.
func (b *gdeltActorBook) resolve(a *models.Actor) (send *models.Actor, slug string, err error) {
	cur := b.known[a.Slug]
	if cur == nil {
		stored, err := b.find(a.Slug)
		if err != nil {
			return nil, "", err
		}
		if len(b.known) >= gdeltMaxBook {
			clear(b.known)
		}
		if stored == nil {
			b.known[a.Slug] = cloneActor(a)
			return cloneActor(a), a.Slug, nil
		}
		b.known[a.Slug], cur = stored, stored
	}
	next, changed := withAliases(cur, a)
	if !changed {
		return nil, cur.Slug, nil
	}
	b.known[a.Slug] = next
	send = cloneActor(next)
	if !send.ID.IsZero() {
		// Only the id: the import bumps the version and the update time.
		send.Meta = models.Meta{ID: send.ID}
	}
	return send, send.Slug, nil
}

// withAliases is cur with the aliases of a it lacks (compared without case, and not
// its name), up to gdeltMaxAliases, and a's CAMEO code when cur has none.
func withAliases(cur, a *models.Actor) (*models.Actor, bool) {
	next := cloneActor(cur)
	changed := false
	for _, al := range a.Aliases {
		if len(next.Aliases) >= gdeltMaxAliases {
			break
		}
		if strings.EqualFold(al, next.Name) || slices.ContainsFunc(next.Aliases, func(x string) bool { return strings.EqualFold(x, al) }) {
			continue
		}
		next.Aliases = append(next.Aliases, al)
		changed = true
	}
	if code := a.ExternalIDs["cameo"]; code != "" && next.ExternalIDs["cameo"] == "" {
		if next.ExternalIDs == nil {
			next.ExternalIDs = models.StringMap{}
		}
		next.ExternalIDs["cameo"] = code
		changed = true
	}
	return next, changed
}

// cloneActor copies a with its own aliases and external ids: a record handed to the
// importer must not change afterwards.
func cloneActor(a *models.Actor) *models.Actor {
	cp := *a
	cp.Aliases = append(models.StringList{}, a.Aliases...)
	cp.ExternalIDs = maps.Clone(a.ExternalIDs)
	if cp.ExternalIDs == nil {
		cp.ExternalIDs = models.StringMap{}
	}
	return &cp
}

// retarget makes e name the actor decoded as from by slug to, and drops a participant
// that the change makes name an actor already taking part (two codes merged into one).
func retarget(e *models.Event, from, to string) {
	if from != to {
		for i := range e.Participants {
			if e.Participants[i].Actor.Slug == from {
				e.Participants[i].Actor.Slug = to
			}
		}
	}
	seen := map[string]bool{}
	e.Participants = slices.DeleteFunc(e.Participants, func(p models.Participant) bool {
		dup := seen[p.Actor.Slug]
		seen[p.Actor.Slug] = true
		return dup
	})
	for i := range e.Participants {
		e.Participants[i].Position = i
	}
}
