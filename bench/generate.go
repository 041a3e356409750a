// Package bench drives parley's benchmarks and scale tests; its generator writes
// realistic synthetic data, deterministic for a seed.
package bench

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/parley-api/parley/models"
)

// GenOptions size the synthetic dataset.
type GenOptions struct {
	Events int
	Seed   uint64
	// Actors defaults to 50 + Events/200, Locations to 20 + Events/1000, Sources to
	// 10 + Events/100.
	Actors, Locations, Sources int
}

var (
	genCountries = []string{"UA", "RU", "US", "TR", "AE", "CH", "FR", "DE", "CN", "QA", "SA", "GB", "IN", "BR", "ZA", "EG", "IL", "IR", "JP", "KR"}
	genWords     = []string{"peace", "talks", "territory", "security", "ceasefire", "prisoners", "grain", "energy",
		"sanctions", "guarantees", "summit", "exchange", "reconstruction", "nuclear", "border", "trade",
		"переговоры", "безопасность", "перемирие", "обмін", "безпека"}
	genTypes  = []models.EventType{models.EventMeeting, models.EventNegotiation, models.EventSummit, models.EventCall, models.EventVisit, models.EventAgreement, models.EventConference}
	genRoles  = []models.Role{models.RoleHost, models.RoleDelegation, models.RoleParticipant, models.RoleMediator, models.RoleEnvoy, models.RoleHeadOfDelegation, models.RoleObserver}
	genKinds  = []models.ActorKind{models.ActorState, models.ActorPerson, models.ActorOrganization, models.ActorDelegation, models.ActorGroup}
	genStatus = []models.EventStatus{models.StatusHeld, models.StatusHeld, models.StatusHeld, models.StatusScheduled, models.StatusPostponed, models.StatusCancelled}
	genEpoch  = time.Date(2006, 1, 1, 0, 0, 0, 0, time.UTC)
	genStamp  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Generate calls emit with a bundle's records, the same for the same options: actors,
// locations and sources first, then events with their relations and statements
// interleaved in batches, every reference pointing at a record emitted before it. Actor popularity is
// Zipf-like, so a few states take part in most events; about a fifth of the events are
// multi-day talks in series; dates span 20 years at year, month, day and minute
// precision, some approximate; events cite one to three sources; a third have statements.
func Generate(opt GenOptions, emit func(kind string, v any) error) error {
	if opt.Actors == 0 {
		opt.Actors = 50 + opt.Events/200
	}
	if opt.Locations == 0 {
		opt.Locations = 20 + opt.Events/1000
	}
	if opt.Sources == 0 {
		opt.Sources = 10 + opt.Events/100
	}
	// #nosec G404 -- synthetic data must come back the same from a seed; nothing secret is drawn from it.
	r := rand.New(rand.NewPCG(opt.Seed, opt.Seed*0x9e3779b97f4a7c15+1))
	seq := uint64(0)
	id := func() models.ID {
		seq++
		var u uuid.UUID
		ms := uint64(genStamp.UnixMilli()) + seq // #nosec G115 -- genStamp is a fixed date after 1970
		for i := 0; i < 6; i++ {
			u[i] = byte(ms >> (40 - 8*i)) // #nosec G115 -- one byte of the 48-bit time, truncation meant
		}
		for i := 6; i < 16; i++ {
			u[i] = byte(r.UintN(256)) // #nosec G115 -- below 256
		}
		u[6] = u[6]&0x0f | 0x70
		u[8] = u[8]&0x3f | 0x80
		return models.ID{UUID: u}
	}
	meta := func() models.Meta { return models.Meta{ID: id(), Version: 1, CreatedAt: genStamp, UpdatedAt: genStamp} }
	zipf := rand.NewZipf(r, 1.2, 1, uint64(opt.Actors-1)) // #nosec G115 -- Actors is at least 50
	actors := make([]models.ID, opt.Actors)
	for i := range actors {
		a := models.Actor{Meta: meta(), Slug: fmt.Sprintf("gen-actor-%d", i+1), Name: fmt.Sprintf("Actor %d", i+1),
			Kind: genKinds[i%len(genKinds)], Country: genCountries[i%len(genCountries)], Aliases: models.StringList{}, ExternalIDs: models.StringMap{}}
		if i < 20 {
			a.Kind, a.Name = models.ActorState, fmt.Sprintf("State %d", i+1)
		}
		actors[i] = a.ID
		if err := emit("actor", &a); err != nil {
			return err
		}
	}
	locations := make([]models.ID, opt.Locations)
	for i := range locations {
		lat, lon := float64(r.IntN(1600000)-800000)/10000, float64(r.IntN(3600000)-1800000)/10000
		l := models.Location{Meta: meta(), Slug: fmt.Sprintf("gen-place-%d", i+1), Name: fmt.Sprintf("Place %d", i+1),
			Country: genCountries[r.IntN(len(genCountries))], Latitude: &lat, Longitude: &lon, ExternalIDs: models.StringMap{}}
		locations[i] = l.ID
		if err := emit("location", &l); err != nil {
			return err
		}
	}
	sources := make([]models.ID, opt.Sources)
	for i := range sources {
		s := models.Source{Meta: meta(), Slug: fmt.Sprintf("gen-source-%d", i+1), Outlet: fmt.Sprintf("Outlet %d", i%25+1),
			Title: fmt.Sprintf("Report %d", i+1), URL: fmt.Sprintf("https://example.org/report/%d", i+1),
			Published: models.MustParseDate(genEpoch.AddDate(0, 0, r.IntN(7300)).Format("2006-01-02")), Language: "en"}
		sources[i] = s.ID
		if err := emit("source", &s); err != nil {
			return err
		}
	}
	text := func(n int) string {
		out := ""
		for i := 0; i < n; i++ {
			if i > 0 {
				out += " "
			}
			out += genWords[r.IntN(len(genWords))]
		}
		return out
	}
	var statements []models.Statement
	var relations []models.RelationRecord
	var parent models.ID
	var parentLeft int
	var prev models.ID
	for i := 0; i < opt.Events; i++ {
		day := genEpoch.AddDate(0, 0, r.IntN(7300))
		var date string
		switch p := r.IntN(20); {
		case p == 0:
			date = day.Format("2006")
		case p < 3:
			date = day.Format("2006-01")
		case p < 6:
			date = day.Format("2006-01-02") + "/" + day.AddDate(0, 0, 1+r.IntN(3)).Format("2006-01-02")
		case p < 8:
			date = day.Format("2006-01-02") + "~"
		case p < 9:
			date = day.Add(time.Duration(8+r.IntN(10))*time.Hour+time.Duration(r.IntN(4)*15)*time.Minute).Format("2006-01-02T15:04") + "+03:00"
		default:
			date = day.Format("2006-01-02")
		}
		e := models.Event{Meta: meta(), Slug: fmt.Sprintf("gen-event-%d", i+1), Title: "Talks on " + text(3),
			Type: genTypes[r.IntN(len(genTypes))], Status: genStatus[r.IntN(len(genStatus))], Date: models.MustParseDate(date),
			Location: models.RefTo(locations[r.IntN(len(locations))]), Summary: text(8),
			Tags: []string{genWords[r.IntN(8)]}, Participants: []models.Participant{}, Sources: []*models.Ref{}}
		seen := map[models.ID]bool{}
		for n := 2 + r.IntN(4); len(e.Participants) < n; {
			a := actors[zipf.Uint64()]
			if seen[a] {
				continue
			}
			seen[a] = true
			e.Participants = append(e.Participants, models.Participant{Actor: models.Ref{ID: a}, Role: genRoles[r.IntN(len(genRoles))]})
		}
		for n, srcSeen := 1+r.IntN(3), map[models.ID]bool{}; len(e.Sources) < n; {
			s := sources[r.IntN(len(sources))]
			if !srcSeen[s] {
				srcSeen[s] = true
				e.Sources = append(e.Sources, models.RefTo(s))
			}
		}
		switch {
		case parentLeft > 0:
			e.Parent = models.RefTo(parent)
			parentLeft--
			relations = append(relations, models.RelationRecord{EventID: e.ID, Type: models.RelationFollows, RelatedID: prev})
		case r.IntN(20) == 0:
			parent, parentLeft = e.ID, 1+r.IntN(3)
		}
		prev = e.ID
		if err := emit("event", &e); err != nil {
			return err
		}
		if r.IntN(3) == 0 {
			speaker := e.Participants[0].Actor
			statements = append(statements, models.Statement{Meta: meta(), Text: "We discussed " + text(6), Quote: r.IntN(2) == 0,
				Speaker: &speaker, Date: e.Date, Event: models.RefTo(e.ID), Language: "en",
				Sources: []*models.Ref{e.Sources[0]}, Tags: []string{}})
		}
		// Keep memory flat: buffered relations and statements go out every 10,000.
		if len(statements) >= 10000 || len(relations) >= 10000 {
			if err := flushPending(emit, &relations, &statements); err != nil {
				return err
			}
		}
	}
	return flushPending(emit, &relations, &statements)
}

// flushPending emits buffered relations and statements. Both only point at events
// already emitted, so emitting them between events keeps every reference backward.
func flushPending(emit func(string, any) error, rels *[]models.RelationRecord, sts *[]models.Statement) error {
	for i := range *rels {
		if err := emit("relation", &(*rels)[i]); err != nil {
			return err
		}
	}
	for i := range *sts {
		if err := emit("statement", &(*sts)[i]); err != nil {
			return err
		}
	}
	*rels, *sts = (*rels)[:0], (*sts)[:0]
	return nil
}
