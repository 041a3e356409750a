package handlers

import (
	"fmt"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
)

// Collection is what every kind's handlers serve under /api/v1/{plural}: the list and
// the create, read, replace, patch and delete of one entity at /{id}, and its history
// at /{id}/revisions.
type Collection interface {
	List(*gin.Context)
	Create(*gin.Context)
	Get(*gin.Context)
	Replace(*gin.Context)
	Patch(*gin.Context)
	Delete(*gin.Context)
	Revisions(*gin.Context)
}

// Route is one more GET route of a kind, below its collection ("/:id/events").
type Route struct {
	Path   string
	Handle gin.HandlerFunc
	// Lagging marks a list that may read from a read replica (up to the replicas' lag
	// bound behind the primary); other routes read from the primary.
	Lagging bool
}

// Resource is the handlers of one kind: its collection and its other routes. The
// server mounts each at the kind's plural.
type Resource struct {
	Kind *models.Kind
	Collection
	Extra []Route
}

// builders makes the Resource of each kind from a store; each kind's file adds its own
// with resource.
var builders = map[*models.Kind]func(st any) (Resource, error){}

// resource registers how kind k's handlers are made from a store that has the methods
// of S. It returns nothing of use: it is called as `var _ = resource(…)`.
func resource[S any](k *models.Kind, build func(S) Resource) struct{} {
	if _, dup := builders[k]; dup {
		panic("handlers: two resources for kind " + k.Name)
	}
	builders[k] = func(st any) (Resource, error) {
		s, ok := st.(S)
		if !ok {
			return Resource{}, fmt.Errorf("handlers: the store lacks what the %s handlers need (%T)", k.Name, (*S)(nil))
		}
		r := build(s)
		r.Kind = k
		return r, nil
	}
	return struct{}{}
}

// Resources makes the handlers of every kind of models.Kinds, in that order, from st; a
// kind without handlers, or a store without what they need, is an error.
func Resources(st any) ([]Resource, error) { return resourcesOf(models.Kinds, builders, st) }

func resourcesOf(kinds []*models.Kind, builders map[*models.Kind]func(any) (Resource, error), st any) ([]Resource, error) {
	out := make([]Resource, 0, len(kinds))
	for _, k := range kinds {
		b := builders[k]
		if b == nil {
			return nil, fmt.Errorf("handlers: kind %q has no handlers (register them with resource)", k.Name)
		}
		r, err := b(st)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if len(builders) != len(kinds) {
		return nil, fmt.Errorf("handlers: handlers are registered for a kind missing from models.Kinds")
	}
	return out, nil
}
