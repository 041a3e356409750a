package store

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/parley-api/parley/models"
)

// Candidate duplicates of an event come from two index range scans, each capped at
// duplicatePool rows: the events whose start lies in the event's date window
// (events_date_idx), and the events its participants took part in within a wider window
// (event_participants_actor_idx, a range per actor). Each candidate is then scored in Go.
const (
	duplicatePool = 500
	// duplicateNear is how far apart two reports of one event may date it.
	duplicateNear = 7 * 24 * time.Hour
	// duplicateSpan is how long before the event a candidate may start and still be
	// found by its date; longer events are found through shared participants.
	duplicateSpan = 31 * 24 * time.Hour
	// duplicateActorWindow is the window of the shared-participant scan.
	duplicateActorWindow = 92 * 24 * time.Hour
)

// The weights of what makes two events alike; they add up to 1.
const (
	weightDates        = 0.35
	weightParticipants = 0.30
	weightLocation     = 0.15
	weightTitle        = 0.15
	weightType         = 0.05
)

// EventDuplicates ranks the events that may report the same real event as the event
// ref, best first, at most limit, each with a score (0 to 1) and the reasons.
func (s *Store) EventDuplicates(ctx context.Context, ref string, limit int) ([]models.DuplicateCandidate, error) {
	db := s.db.WithContext(ctx)
	e, err := eventSpec.get(ctx, s.db, ref)
	if err != nil {
		return nil, notFoundSuggesting(db, models.KindEvent, ref, err)
	}
	var ids []models.ID
	err = db.Table("events").Where("date_start >= ? AND date_start < ? AND date_end > ? AND id <> ?",
		e.Date.Start.Add(-duplicateSpan), e.Date.End.Add(duplicateNear), e.Date.Start.Add(-duplicateNear), e.ID).
		Order("date_start, id").Limit(duplicatePool).Pluck("id", &ids).Error
	if err != nil {
		return nil, dbError(err, "events")
	}
	actors := map[models.ID]bool{}
	for _, p := range e.Participants {
		actors[p.Actor.ID] = true
	}
	if len(actors) > 0 {
		var more []models.ID
		err = db.Table("event_participants").Where("actor_id IN ? AND event_start >= ? AND event_start < ? AND event_id <> ?",
			mapKeys(actors), e.Date.Start.Add(-duplicateActorWindow), e.Date.End.Add(duplicateActorWindow), e.ID).
			Distinct("event_id").Limit(duplicatePool).Pluck("event_id", &more).Error
		if err != nil {
			return nil, dbError(err, "events")
		}
		ids = append(ids, more...)
	}
	slices.SortFunc(ids, func(a, b models.ID) int { return strings.Compare(a.String(), b.String()) })
	ids = slices.Compact(ids)
	var cands []*models.Event
	for chunk := range slices.Chunk(ids, insertBatch) {
		var rows []*models.Event
		if err := db.Table("events").Where("id IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, dbError(err, "events")
		}
		if err := loadEventChildren(db, rows); err != nil {
			return nil, dbError(err, "events")
		}
		cands = append(cands, rows...)
	}
	out := []models.DuplicateCandidate{}
	for _, c := range cands {
		score, reasons := likeness(e, c, actors)
		if len(reasons) == 0 || score < 0.2 {
			continue
		}
		out = append(out, models.DuplicateCandidate{Event: c, Score: score, Reasons: reasons})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		di, dj := gap(e, out[i].Event), gap(e, out[j].Event)
		if di != dj {
			return di < dj
		}
		return out[i].Event.ID.String() < out[j].Event.ID.String()
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func mapKeys(m map[models.ID]bool) []models.ID {
	out := make([]models.ID, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// gap is the time between two events' intervals, 0 when they overlap.
func gap(a, b *models.Event) time.Duration {
	switch {
	case b.Date.Start.After(a.Date.End) || b.Date.Start.Equal(a.Date.End):
		return b.Date.Start.Sub(a.Date.End)
	case a.Date.Start.After(b.Date.End) || a.Date.Start.Equal(b.Date.End):
		return a.Date.Start.Sub(b.Date.End)
	}
	return 0
}

// likeness scores how alike c is to e (0 to 1) and says why; actors are e's participants.
func likeness(e, c *models.Event, actors map[models.ID]bool) (float64, []string) {
	var score float64
	var reasons []string
	switch g := gap(e, c); {
	case g == 0 && c.Date.Start.Before(e.Date.End) && c.Date.End.After(e.Date.Start):
		score += weightDates
		reasons = append(reasons, "dates overlap")
	case g <= duplicateNear:
		score += weightDates * (1 - float64(g)/float64(duplicateNear)) / 2
		reasons = append(reasons, fmt.Sprintf("dates %d days apart", int(math.Ceil(g.Hours()/24))))
	}
	theirs := map[models.ID]bool{}
	for _, p := range c.Participants {
		theirs[p.Actor.ID] = true
	}
	shared := 0
	for id := range theirs {
		if actors[id] {
			shared++
		}
	}
	if shared > 0 {
		union := len(actors) + len(theirs) - shared
		score += weightParticipants * float64(shared) / float64(union)
		noun := "participants"
		if shared == 1 {
			noun = "participant"
		}
		reasons = append(reasons, fmt.Sprintf("%d shared %s", shared, noun))
	}
	if e.Location != nil && c.Location != nil && e.Location.ID == c.Location.ID {
		score += weightLocation
		reasons = append(reasons, "same location")
	}
	if sim := titleSimilarity(e.Title, c.Title); sim >= 0.3 {
		score += weightTitle * sim
		reasons = append(reasons, "similar title")
	}
	if e.Type == c.Type && len(reasons) > 0 {
		score += weightType
		reasons = append(reasons, "same type")
	}
	return math.Round(min(score, 1)*100) / 100, reasons
}

// titleSimilarity is the Jaccard index of two titles' words of three letters or more.
func titleSimilarity(a, b string) float64 {
	words := func(s string) map[string]bool {
		out := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if len([]rune(w)) >= 3 {
				out[w] = true
			}
		}
		return out
	}
	x, y := words(a), words(b)
	if len(x) == 0 || len(y) == 0 {
		return 0
	}
	n := 0
	for w := range x {
		if y[w] {
			n++
		}
	}
	return float64(n) / float64(len(x)+len(y)-n)
}
