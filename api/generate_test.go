package api_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

func openStore(t *testing.T, d store.Dialect) *store.Store { return storetest.Open(t, d) }

// generate fills s with a deterministic synthetic dataset: the same seed gives the same
// ids, slugs, dates and words on every database. A few actors take part in most events.
func generate(t *testing.T, s *store.Store, seed uint64, events int) {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, seed*31+7))
	id := func() models.ID {
		var u uuid.UUID
		for i := range u {
			u[i] = byte(r.UintN(256))
		}
		u[6] = u[6]&0x0f | 0x70
		u[8] = u[8]&0x3f | 0x80
		return models.ID{UUID: u}
	}
	countries := []string{"UA", "RU", "US", "TR", "AE", "CH", "FR", "DE", "CN", "QA"}
	kinds := []models.ActorKind{models.ActorState, models.ActorPerson, models.ActorOrganization, models.ActorDelegation}
	var actors []models.Actor
	for i := 1; i <= 30; i++ {
		a := models.Actor{Meta: models.Meta{ID: id()}, Slug: fmt.Sprintf("actor-%d", i), Name: fmt.Sprintf("Actor %d", i),
			Kind: kinds[i%len(kinds)], Country: countries[i%len(countries)]}
		if err := s.CreateActor(ctx, &a); err != nil {
			t.Fatal(err)
		}
		actors = append(actors, a)
	}
	var locations []models.Location
	for i := 1; i <= 8; i++ {
		lat, lon := float64(i*7), float64(i*11)
		l := models.Location{Meta: models.Meta{ID: id()}, Slug: fmt.Sprintf("place-%d", i), Name: fmt.Sprintf("Place %d", i),
			Country: countries[i%len(countries)], Latitude: &lat, Longitude: &lon}
		if err := s.CreateLocation(ctx, &l); err != nil {
			t.Fatal(err)
		}
		locations = append(locations, l)
	}
	src := models.Source{Meta: models.Meta{ID: id()}, Slug: "wire", Outlet: "Wire", Published: models.MustParseDate("2020")}
	if err := s.CreateSource(ctx, &src); err != nil {
		t.Fatal(err)
	}
	words := []string{"peace", "talks", "territory", "security", "ceasefire", "prisoners", "grain", "energy",
		"sanctions", "переговоры", "безопасность", "territorial", "guarantees", "summit", "exchange"}
	types := []models.EventType{models.EventMeeting, models.EventNegotiation, models.EventSummit, models.EventCall, models.EventVisit}
	roles := []models.Role{models.RoleHost, models.RoleDelegation, models.RoleParticipant, models.RoleMediator, models.RoleEnvoy}
	// Zipf-like: actor k is picked with weight 1/k.
	pick := func() models.Actor {
		for {
			k := int(float64(len(actors)) * r.Float64() * r.Float64() * r.Float64())
			return actors[k]
		}
	}
	start := time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < events; i++ {
		day := start.AddDate(0, 0, r.IntN(6*365))
		var date string
		switch r.IntN(6) {
		case 0:
			date = day.Format("2006-01")
		case 1:
			date = day.Format("2006-01-02") + "/" + day.AddDate(0, 0, 1+r.IntN(3)).Format("2006-01-02")
		case 2:
			date = day.Format("2006-01-02") + "~"
		default:
			date = day.Format("2006-01-02")
		}
		text := words[r.IntN(len(words))] + " " + words[r.IntN(len(words))] + " " + words[r.IntN(len(words))]
		e := models.Event{Meta: models.Meta{ID: id()}, Slug: fmt.Sprintf("event-%d", i), Title: "Event " + text,
			Type: types[r.IntN(len(types))], Status: models.StatusHeld, Date: models.MustParseDate(date),
			Summary: words[r.IntN(len(words))] + " and " + words[r.IntN(len(words))], Location: models.RefTo(locations[r.IntN(len(locations))].ID),
			Sources: []*models.Ref{models.RefTo(src.ID)}, Tags: []string{words[r.IntN(4)]}}
		seen := map[models.ID]bool{}
		for n := 2 + r.IntN(3); len(e.Participants) < n; {
			a := pick()
			if seen[a.ID] {
				continue
			}
			seen[a.ID] = true
			e.Participants = append(e.Participants, models.Participant{Actor: models.Ref{ID: a.ID}, Role: roles[r.IntN(len(roles))]})
		}
		if err := s.CreateEvent(ctx, &e); err != nil {
			t.Fatal(err)
		}
		if r.IntN(3) == 0 {
			st := models.Statement{Meta: models.Meta{ID: id()}, Text: "We discussed " + text, Quote: r.IntN(2) == 0,
				Speaker: models.RefTo(e.Participants[0].Actor.ID), Date: e.Date, Event: models.RefTo(e.ID), Sources: []*models.Ref{models.RefTo(src.ID)}}
			if err := s.CreateStatement(ctx, &st); err != nil {
				t.Fatal(err)
			}
		}
	}
}
